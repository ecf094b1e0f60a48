/**
 * The console's frame: the menu of the pages this person may use (by role), the person's name and
 * organization, sign-out; the pages are lazy chunks so the first load stays small. Below 992 px
 * (a phone, a narrow window) the menu is a drawer opened from the header, which wraps.
 */
import { Button, Drawer, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { ADMIN_ROLES, isAdministrator, STARTUP_ROLE } from '../../domain/admin-roles.ts';
import { READ_ROLES } from '../../domain/reads.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { adminPageTitle, roleLabel } from './labels.ts';
import { useNames } from './names.tsx';
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
const Statistics = lazy(() => import('./pages/Statistics.tsx'));
const PlanFilings = lazy(() => import('./pages/PlanFilings.tsx'));
const MyAccount = lazy(() => import('./pages/Account.tsx'));
const ExistingSystem = lazy(() => import('./pages/ExistingSystem.tsx'));
const CloudPlatform = lazy(() => import('./pages/CloudPlatform.tsx'));

type Role = Account['role'];
interface Page {
  key: string;
  label: string | ((role: Role) => string);
  roles: readonly Role[] | 'public';
}
const ALL: readonly Role[] = ROLES;
const PAGES: Page[] = [
  { key: '/inbox', label: '待办工作台', roles: ALL },
  { key: '/projects', label: '项目库', roles: ALL },
  { key: '/funds', label: '资金', roles: READ_ROLES.funds },
  { key: '/statistics', label: '统计分析', roles: ALL },
  { key: '/plans', label: '年度计划', roles: ALL },
  { key: '/projects/new', label: '申报项目', roles: ['department'] },
  { key: '/existing-systems', label: '登记原有系统', roles: ['department'] },
  { key: '/cloud-platform', label: '城市云平台评估', roles: ['bdb', 'approval', 'finance', 'department'] },
  { key: '/plan-filings', label: '规划备案', roles: ['bdb', 'department'] },
  { key: '/public', label: '公示', roles: 'public' },
  // 三员分立: each administrator's own tabs (pages/Admin.tsx), under their duty's name.
  { key: '/admin', label: adminPageTitle, roles: [...ADMIN_ROLES, STARTUP_ROLE] },
  { key: '/account', label: '我的账户', roles: ALL },
  { key: '/password', label: '修改密码', roles: ALL },
];

const home = (role: Role) => (isAdministrator(role) ? '/admin' : '/inbox');

function Body({ path, account }: { path: string; account: Account }): ReactNode {
  if (path === '/password') return <Password />;
  if (path === '/inbox') return <Inbox />;
  if (path === '/projects') return <Projects />;
  if (path === '/projects/new') return <Apply />;
  if (path.startsWith('/projects/')) return <ProjectDetail id={decodeURIComponent(path.slice('/projects/'.length))} />;
  if (path === '/funds') return <Funds />;
  if (path === '/statistics') return <Statistics />;
  if (path === '/plans') return <Plans />;
  if (path === '/plan-filings') return <PlanFilings />;
  if (path === '/account') return <MyAccount />;
  if (path === '/admin') return <Admin />;
  if (path === '/existing-systems') return <ExistingSystem />;
  if (path === '/cloud-platform') return <CloudPlatform />;
  if (path === '/public') return <Public />;
  return <Result status="404" title="没有这个页面" extra={<Link to={home(account.role)}>返回首页</Link>} />;
}

/** Whether the viewport is narrower than Ant Design's `lg` breakpoint (992 px), kept up to date. */
function useNarrow(): boolean {
  const query = '(max-width: 991.98px)';
  const [narrow, setNarrow] = useState(() => globalThis.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const list = globalThis.matchMedia?.(query);
    if (!list) return;
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
}

export function App() {
  const { path } = useLocation();
  const narrow = useNarrow();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const { account, loading, mustChangePassword, signOut: signOutOf } = useSession();
  // Read once signed in for good (before the initial password is changed the API answers only /v1/auth/*).
  const names = useNames(account !== null && !mustChangePassword);

  useEffect(() => {
    if (loading) return;
    if (!account && path !== '/login' && path !== '/public')
      navigate(`/login?next=${encodeURIComponent(path === '/' ? '' : path)}`, true);
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
            <Layout.Header className="frame-header public">
              <span>晋城市政务大数据项目 · 资金分配公示</span> <Link to="/login">登录</Link>
            </Layout.Header>
            <Layout.Content className="frame-content">
              <Public />
            </Layout.Content>
          </Layout>
        ) : (
          <Login />
        )}
      </Suspense>
    );
  }
  const items = PAGES.filter((p) => p.roles === 'public' || p.roles.includes(account.role)).map((p) => ({
    key: p.key,
    label: <Link to={p.key}>{typeof p.label === 'function' ? p.label(account.role) : p.label}</Link>,
  }));
  const selected = PAGES.find((p) => path === p.key)?.key ?? PAGES.find((p) => path.startsWith(`${p.key}/`))?.key ?? '';
  // The person's organisation by name: 张伟（项目单位 · 市卫生健康委员会）; a county's after its name.
  const county =
    account.jurisdiction && account.jurisdiction !== 'city' ? ` · ${names.jurisdiction(account.jurisdiction)}` : '';
  const org = `${roleLabel(account.role)}${account.department && names.ready ? ` · ${names.department(account.department)}` : ''}${names.ready ? county : ''}`;
  const menu = <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} />;
  const signOut = (everywhere: boolean) => void signOutOf(everywhere).then(() => navigate('/login'));
  const signOutButtons = (
    <>
      <Button onClick={() => signOut(false)}>退出登录</Button>
      <Button onClick={() => signOut(true)}>在所有设备退出</Button>
    </>
  );
  const who = (
    <Typography.Text data-testid="who" className="frame-who">
      {account.displayName}（{org}）
    </Typography.Text>
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!narrow && (
        <Layout.Sider width={184} theme="dark">
          <div className="frame-brand">
            晋城市政务大数据
            <br />
            项目管理平台
          </div>
          <nav aria-label="主菜单">{menu}</nav>
        </Layout.Sider>
      )}
      {narrow && (
        <Drawer
          placement="left"
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          size={240}
          title="晋城市政务大数据项目管理平台"
          className="frame-drawer"
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <nav aria-label="主菜单">{menu}</nav>
          <Space direction="vertical" style={{ padding: 16 }}>
            {signOutButtons}
          </Space>
        </Drawer>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header className={narrow ? 'frame-header narrow' : 'frame-header'}>
          {narrow && (
            <Button onClick={() => setMenuOpen(true)} aria-expanded={menuOpen} aria-label="打开主菜单">
              ☰ 菜单
            </Button>
          )}
          {narrow ? (
            who
          ) : (
            <Space wrap>
              {who}
              {signOutButtons}
            </Space>
          )}
        </Layout.Header>
        <Layout.Content className="frame-content">
          {/* Ant Design renders Layout.Content as the page's <main>. */}
          <Suspense fallback={fallback}>
            <Body path={path} account={account} />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
