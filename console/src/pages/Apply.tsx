/**
 * 申报项目 (Art. 6, 8, 14): the department's application, a form made from POST /v1/projects'
 * schema: an item of the approved annual plan, the 投资概算, the 项目负责人, and the four
 * application documents uploaded here (项目建议书, 可行性研究报告, 初步设计方案, 投资概算).
 */
import { Card, Typography } from 'antd';
import { api, ok } from '../api.ts';
import { formatYuan } from '../format.ts';
import forms from '../forms.generated.json';
import { useLoad } from '../hooks.ts';
import { navigate } from '../router.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';
import { useSession } from '../session.tsx';

/** Art. 6: the items of the approved plans in force (this year and next) that name this department. */
function usePlanItems(department: string | undefined) {
  const year = new Date().getFullYear();
  const { data } = useLoad(
    () =>
      Promise.all(
        [year, year + 1].map((y) =>
          api.GET('/v1/annual-plans/{year}', { params: { path: { year: y } } }).then((r) => r.data),
        ),
      ),
    [year],
  );
  return (data ?? [])
    .filter((plan) => plan?.status === 'in-force')
    .flatMap((plan) =>
      plan!.items
        .filter((i) => !department || i.department === department)
        .map((i) => ({
          value: i.code,
          label: `${i.code} ${i.title}（${plan!.year}年度，上限 ${formatYuan(i.ceilingFen)}）`,
        })),
    );
}

export default function Apply() {
  const schema = (forms.bodies as Record<string, unknown>)['POST /v1/projects'] as JsonSchema;
  const { account } = useSession();
  const planItems = usePlanItems(account?.department ?? undefined);
  return (
    <Card>
      <Typography.Title level={3} className="page-title">
        申报新项目
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        依《管理办法》第六条、第八条、第十四条：项目须列入经市人民政府批准的年度计划；上传项目建议书、可行性研究报告、初步设计方案、投资概算四份申报材料，并确定项目负责人。申报后由市大数据应用局进行技术审核。
      </Typography.Paragraph>
      <SchemaForm
        schema={schema}
        context="application"
        testId="apply-form"
        choices={{ annualPlanItem: planItems }}
        hidden={['jurisdiction']}
        initialValues={{ year: new Date().getFullYear(), kind: 'new', classified: false }}
        submitLabel="提交申报"
        onSubmit={(body) => ok(api.POST('/v1/projects', { body: body as never }))}
        onDone={(view) => navigate(`/projects/${encodeURIComponent((view as { id: string }).id)}`)}
      />
    </Card>
  );
}
