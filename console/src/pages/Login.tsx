/** 登录: login name and password; when the API answers `totp_required`, a second step asks for the code. */
import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { isAdministrator } from '../../../domain/admin-roles.ts';
import { api, problemOf, type Problem } from '../api.ts';
import { ProblemAlert } from '../Problem.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

export default function Login() {
  const { signedIn } = useSession();
  const [problem, setProblem] = useState<Problem>();
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ loginName: string; password: string; totp?: string }>();

  const submit = async (values: { loginName: string; password: string; totp?: string }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const body = {
        loginName: values.loginName.trim(),
        password: values.password,
        ...(values.totp ? { totp: values.totp.trim() } : {}),
      };
      const { data, error, response } = await api.POST('/v1/auth/login', { body });
      if (error !== undefined || !response.ok) {
        const p = problemOf(error, response);
        if (p.code === 'totp_required') {
          setNeedTotp(true);
          if (values.totp) setProblem(p);
        } else setProblem(p);
        return;
      }
      const result = data;
      signedIn(result.account, result.csrfToken, result.mustChangePassword);
      const next = new URLSearchParams(location.search).get('next');
      navigate(
        result.mustChangePassword ? '/password' : next || (isAdministrator(result.account.role) ? '/admin' : '/inbox'),
        true,
      );
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Card style={{ width: 420 }}>
        <Typography.Title level={3} className="page-title">
          晋城市政务大数据项目管理平台
        </Typography.Title>
        <Typography.Paragraph type="secondary">请使用个人账户登录。</Typography.Paragraph>
        <main>
          <Form form={form} layout="vertical" onFinish={submit} data-testid="login-form">
            <Form.Item
              name="loginName"
              label="登录名"
              htmlFor="login-name"
              rules={[{ required: true, message: '请填写登录名' }]}
            >
              <Input id="login-name" autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label="密码"
              htmlFor="login-password"
              rules={[{ required: true, message: '请填写密码' }]}
            >
              <Input.Password id="login-password" autoComplete="current-password" />
            </Form.Item>
            {needTotp && (
              <Form.Item
                name="totp"
                label="动态验证码（6 位）"
                htmlFor="login-totp"
                extra="请打开身份验证器应用，输入当前显示的 6 位数字。"
                rules={[
                  { required: true, message: '请填写动态验证码' },
                  { pattern: /^\d{6}$/, message: '动态验证码为 6 位数字' },
                ]}
              >
                <Input id="login-totp" inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={6} />
              </Form.Item>
            )}
            {problem && <ProblemAlert problem={problem} />}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {needTotp ? '验证并登录' : '登录'}
            </Button>
          </Form>
          <Typography.Paragraph style={{ marginTop: 16 }}>
            <Link to="/public">查看资金分配公示（无需登录）</Link>
          </Typography.Paragraph>
        </main>
      </Card>
    </div>
  );
}
