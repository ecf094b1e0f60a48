/** 申报项目 (Art. 6, 8): the department's application, a form made from POST /v1/projects' schema. */
import { Card, Typography } from 'antd';
import { api, ok } from '../api.ts';
import forms from '../forms.generated.json';
import { navigate } from '../router.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';

export default function Apply() {
  const schema = (forms.bodies as Record<string, unknown>)['POST /v1/projects'] as JsonSchema;
  return (
    <Card>
      <Typography.Title level={3} className="page-title">
        申报新项目
      </Typography.Title>
      <Typography.Paragraph type="secondary">依《管理办法》第六条、第八条：项目须列入经市人民政府批准的年度计划；投资概算超过计划项目上限的是否受理，依本地政策；申报材料填写文件引用。</Typography.Paragraph>
      <SchemaForm
        schema={schema}
        context="application"
        testId="apply-form"
        initialValues={{ jurisdiction: 'city', year: new Date().getFullYear(), kind: 'new', classified: false }}
        submitLabel="提交申报"
        onSubmit={(body) => ok(api.POST('/v1/projects', { body: body as never }))}
        onDone={(view) => navigate(`/projects/${encodeURIComponent((view as { id: string }).id)}`)}
      />
    </Card>
  );
}
