/**
 * 登记原有信息化项目 (Art. 21): a department registers a system already in operation; it becomes a
 * project in 运行 whose O&M cost the BDB reviews each year before finance budgets it.
 */
import { Card, Typography } from 'antd';
import { api, ok } from '../api.ts';
import forms from '../forms.generated.json';
import { navigate } from '../router.tsx';
import { SchemaForm, type JsonSchema } from '../SchemaForm.tsx';

export default function ExistingSystem() {
  const schema = (forms.bodies as Record<string, unknown>)['POST /v1/existing-systems'] as JsonSchema;
  return (
    <Card>
      <Typography.Title level={3} className="page-title">
        登记原有信息化项目
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        依《管理办法》第二十一条：各单位原有信息化项目的运行维护费用，经市大数据应用局审核后，按程序列入财政预算。登记后项目处于运行阶段，由市大数据应用局逐年审核运维经费。
      </Typography.Paragraph>
      <SchemaForm
        schema={schema}
        context="existing-system"
        testId="existing-system-form"
        hidden={['jurisdiction']}
        submitLabel="提交登记"
        onSubmit={(body) => ok(api.POST('/v1/existing-systems', { body: body as never }))}
        onDone={(view) => navigate(`/projects/${encodeURIComponent((view as { id: string }).id)}`)}
      />
    </Card>
  );
}
