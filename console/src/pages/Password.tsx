/** 修改密码: the rules are the API's (length, character classes, history); its refusal is shown as it is worded. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { isAdministrator } from '../../../domain/admin-roles.ts';
import { api, problemOf, type Problem } from '../api.ts';
import { ProblemAlert } from '../Problem.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export default function Password() {
  const { account, mustChangePassword, refresh } = useSession();
  const [problem, setProblem] = useState<Problem>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { currentPassword: string; newPassword: string; confirm: string }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const { error, response } = await api.POST('/v1/auth/password', {
        body: { currentPassword: v.currentPassword, newPassword: v.newPassword },
      });
      if (error !== undefined || !response.ok) return setProblem(problemOf(error, response));
      setDone(true);
      await refresh();
      navigate(account && isAdministrator(account.role) ? '/admin' : '/inbox', true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card style={{ maxWidth: 520 }}>
      <Typography.Title level={3} className="page-title">
        修改密码
      </Typography.Title>
      {mustChangePassword && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="首次登录须修改初始密码后才能继续使用。" />
      )}
      <Typography.Paragraph type="secondary">
        新密码至少 12 位，须包含大写字母、小写字母、数字、符号中的三类，且不得与最近 5 次使用过的密码相同。
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={submit} data-testid="password-form">
        <Form.Item
          name="currentPassword"
          label="当前密码"
          htmlFor="pw-current"
          rules={[{ required: true, message: '请填写当前密码' }]}
        >
          <Input.Password id="pw-current" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          htmlFor="pw-new"
          rules={[{ required: true, message: '请填写新密码' }]}
        >
          <Input.Password id="pw-new" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          htmlFor="pw-confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次填写新密码' },
            ({ getFieldValue }) => ({
              validator: async (_r, v) =>
                v === getFieldValue('newPassword') ? undefined : Promise.reject(new Error('两次填写的新密码不一致')),
            }),
          ]}
        >
          <Input.Password id="pw-confirm" autoComplete="new-password" />
        </Form.Item>
        {problem && <ProblemAlert problem={problem} />}
        {done && <Alert type="success" showIcon message="密码已修改" style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
    </Card>
  );
}
