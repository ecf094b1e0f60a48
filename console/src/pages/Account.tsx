/**
 * 我的账户: the signed-in person's account, and enrolment of an authenticator app (TOTP, RFC 6238)
 * for anyone who wants it — POST /v1/auth/totp `{password, currentCode?}` answers a new secret (shown
 * as a QR code; a bound authenticator's current code is needed too, so a session alone cannot replace
 * the second factor), `{code}` with a current code puts it in force; from then on signing in asks for a code.
 */
import { Alert, Button, Card, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { roleLabel } from '../labels.ts';
import { useNames } from '../names.tsx';
import { ProblemAlert } from '../Problem.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { TotpEnrolment } from './admin/OneTimeSecrets.tsx';
import { useSubmit } from './admin/shared.tsx';

function TotpSetup({ enabled, onDone }: { enabled: boolean; onDone: () => Promise<void> }) {
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string }>();
  const [done, setDone] = useState(false);
  const start = useSubmit();
  const confirm = useSubmit();
  const [form] = Form.useForm<{ code: string }>();
  const [asking, setAsking] = useState(false);
  const [proof] = Form.useForm<{ password: string; currentCode?: string }>();
  const begin = async (v: { password: string; currentCode?: string }) => {
    setDone(false);
    const body = { password: v.password, ...(enabled && v.currentCode ? { currentCode: v.currentCode.trim() } : {}) };
    const e = await start.run(() => ok(api.POST('/v1/auth/totp', { body })));
    if (!e) return;
    proof.resetFields();
    setAsking(false);
    setEnrolment(e);
  };
  const finish = async (v: { code: string }) => {
    const result = await confirm.run(async () => {
      const { error, response } = await api.POST('/v1/auth/totp', { body: { code: v.code.trim() } });
      if (error !== undefined || !response.ok) return ok(Promise.resolve({ error, response }));
      return true;
    });
    if (!result) return;
    setEnrolment(undefined);
    setDone(true);
    form.resetFields();
    await onDone();
  };
  return (
    <div data-testid="totp-setup">
      <Typography.Paragraph>
        {enabled
          ? '已绑定身份验证器：登录时须输入其显示的 6 位动态验证码。更换手机时可重新绑定，新的绑定确认后旧的即失效。'
          : '绑定身份验证器后，登录时除密码外还须输入验证器显示的 6 位动态验证码，他人即使知道密码也无法登录。'}
      </Typography.Paragraph>
      {done && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          message="身份验证器已绑定，下次登录时须输入动态验证码。"
        />
      )}
      {start.problem && <ProblemAlert problem={start.problem} />}
      {!enrolment && !asking ? (
        <Button type="primary" onClick={() => setAsking(true)}>
          {enabled ? '重新绑定身份验证器' : '绑定身份验证器'}
        </Button>
      ) : !enrolment ? (
        <Form
          form={proof}
          layout="vertical"
          onFinish={(v) => void begin(v)}
          data-testid="totp-proof-form"
          style={{ maxWidth: 360 }}
        >
          <Form.Item
            name="password"
            label="当前密码"
            htmlFor="totp-password"
            rules={[{ required: true, message: '请输入当前密码' }]}
          >
            <Input.Password id="totp-password" autoComplete="current-password" />
          </Form.Item>
          {enabled && (
            <Form.Item
              name="currentCode"
              label="现有验证器显示的动态验证码"
              htmlFor="totp-current-code"
              rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}
            >
              <Input
                id="totp-current-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                style={{ width: 120 }}
              />
            </Form.Item>
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={start.busy}>
              下一步
            </Button>
            <Button onClick={() => setAsking(false)}>取消</Button>
          </Space>
        </Form>
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <TotpEnrolment {...enrolment} />
          <Form form={form} layout="inline" onFinish={finish} data-testid="totp-confirm-form">
            <Form.Item
              name="code"
              label="验证器显示的动态验证码"
              htmlFor="totp-code"
              rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}
            >
              <Input
                id="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                style={{ width: 120 }}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={confirm.busy}>
              确认绑定
            </Button>
            <Button onClick={() => setEnrolment(undefined)}>取消</Button>
          </Form>
          {confirm.problem && <ProblemAlert problem={confirm.problem} />}
        </Space>
      )}
    </div>
  );
}

export default function Account() {
  const { account, refresh } = useSession();
  const names = useNames();
  if (!account) return null;
  return (
    <>
      <Typography.Title level={3} className="page-title">
        我的账户
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={1} bordered data-testid="my-account">
          <Descriptions.Item label="姓名">{account.displayName}</Descriptions.Item>
          <Descriptions.Item label="登录名">{account.loginName}</Descriptions.Item>
          <Descriptions.Item label="角色">{roleLabel(account.role)}</Descriptions.Item>
          {account.department && (
            <Descriptions.Item label="部门">{names.department(account.department)}</Descriptions.Item>
          )}
          {account.jurisdiction && (
            <Descriptions.Item label="辖区">{names.jurisdiction(account.jurisdiction)}</Descriptions.Item>
          )}
          {account.phone && <Descriptions.Item label="电话">{account.phone}</Descriptions.Item>}
          <Descriptions.Item label="上次登录">{formatDateTime(account.lastSignInAt)}</Descriptions.Item>
          <Descriptions.Item label="密码">
            <Link to="/password">修改密码</Link>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title="身份验证器（动态验证码）">
        <TotpSetup enabled={account.totpEnabled} onDone={refresh} />
      </Card>
    </>
  );
}
