/**
 * The console's frame: the menu of the pages this person may use (by role), the person's name and
 * organization, sign-out; the pages are lazy chunks so the first load stays small.
 */
import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { roleLabel } from './labels.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { useSession, type Account } from './session.tsx';

const Login = lazy(() => import('./pages/Login.tsx'));
const Password = lazy(() => import('./pages/Password.tsx'));
const Inbox = lazy(() => import('./pages/Inbox.tsx'));
const Projects = lazy(() => import('./pages/Projects.tsx'));
const Apply = lazy(() => import('./pages/Apply.tsx'));
const ProjectDetail = lazy(() => import('./pages/ProjectDetail.tsx'));
const Funds = lazy(() => import('./pages/Funds.tsx'));
const Plans = lazy(() => import('./pages/Plans.tsx'));
const Public = lazy(() => import('./pages/Public.tsx'));
const Admin = lazy(() => import('./pages/Admin.tsx'));
const ExistingSystem = lazy(() => import('./pages/ExistingSystem.tsx'));
const CloudPlatform = lazy(() => import('./pages/CloudPlatform.tsx'));

type Role = Account['role'];
interface Page {
  key: string;
  label: string;
  roles: readonly Role[] | 'public';
}
const ALL: readonly Role[] = ['bdb', 'approval', 'finance', 'department', 'admin'];
const PAGES: Page[] = [
  { key: '/inbox', label: '待办工作台', roles: ['bdb', 'approval', 'finance', 'department'] },
  { key: '/projects', label: '项目库', roles: ALL },
  { key: '/funds', label: '资金', roles: ['finance', 'bdb'] },
  { key: '/plans', label: '年度计划', roles: ALL },
  { key: '/projects/new', label: '申报项目', roles: ['department'] },
  { key: '/existing-systems', label: '登记原有系统', roles: ['department'] },
  { key: '/cloud-platform', label: '城市云平台评估', roles: ['bdb', 'approval', 'finance', 'department'] },
  { key: '/public', label: '公示', roles: 'public' },
  { key: '/admin', label: '系统管理', roles: ['admin'] },
  { key: '/password', label: '修改密码', roles: ALL },
];

const home = (role: Role) => (role === 'admin' ? '/admin' : '/inbox');

function Body({ path, account }: { path: string; account: Account }): ReactNode {
  if (path === '/password') return <Password />;
  if (path === '/inbox') return <Inbox />;
  if (path === '/projects') return <Projects />;
  if (path === '/projects/new') return <Apply />;
  if (path.startsWith('/projects/')) return <ProjectDetail id={decodeURIComponent(path.slice('/projects/'.length))} />;
  if (path === '/funds') return <Funds />;
  if (path === '/plans') return <Plans />;
  if (path === '/admin') return <Admin />;
  if (path === '/existing-systems') return <ExistingSystem />;
  if (path === '/cloud-platform') return <CloudPlatform />;
  if (path === '/public') return <Public />;
  return <Result status="404" title="没有这个页面" extra={<Link to={home(account.role)}>返回首页</Link>} />;
}

export function App() {
  const { path } = useLocation();
  const { account, loading, mustChangePassword, signOut } = useSession();

  useEffect(() => {
    if (loading) return;
    if (!account && path !== '/login' && path !== '/public') navigate(`/login?next=${encodeURIComponent(path === '/' ? '' : path)}`, true);
    else if (account && (path === '/' || path === '/login')) navigate(home(account.role), true);
    else if (account && mustChangePassword && path !== '/password') navigate('/password', true);
  }, [account, loading, path, mustChangePassword]);

  const fallback = <Spin style={{ display: 'block', margin: '80px auto' }} aria-label="加载中" />;
  if (loading) return fallback;
  if (!account) {
    return (
      <Suspense fallback={fallback}>
        {path === '/public' ? (
          <Layout style={{ minHeight: '100vh' }}>
            <Layout.Header style={{ color: '#fff', fontSize: 16 }}>
              晋城市政务大数据项目 · 资金分配公示 <Link to="/login" style={{ marginLeft: 24 }}>登录</Link>
            </Layout.Header>
            <Layout.Content style={{ padding: 24 }}>
              <Public />
            </Layout.Content>
          </Layout>
        ) : (
          <Login />
        )}
      </Suspense>
    );
  }
  const items = PAGES.filter((p) => p.roles === 'public' || p.roles.includes(account.role)).map((p) => ({ key: p.key, label: <Link to={p.key}>{p.label}</Link> }));
  const selected = PAGES.find((p) => path === p.key)?.key ?? PAGES.find((p) => path.startsWith(`${p.key}/`))?.key ?? '';
  const org = `${roleLabel(account.role)}${account.department ? ` · ${account.department}` : ''}${account.jurisdiction ? ` · ${account.jurisdiction}` : ''}`;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={184} theme="dark" breakpoint="lg" collapsedWidth={0}>
        <div style={{ color: '#fff', padding: '16px 16px 8px', fontWeight: 600, lineHeight: 1.4 }}>晋城市政务大数据<br />项目管理平台</div>
        <nav aria-label="主菜单">
          <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space>
            <Typography.Text data-testid="who">
              {account.displayName}（{org}）
            </Typography.Text>
            <Button onClick={() => void signOut(false).then(() => navigate('/login'))}>退出登录</Button>
            <Button onClick={() => void signOut(true).then(() => navigate('/login'))}>在所有设备退出</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {/* Ant Design renders Layout.Content as the page's <main>. */}
          <Suspense fallback={fallback}>
            <Body path={path} account={account} />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
