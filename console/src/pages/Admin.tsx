/**
 * The administrators' page (三员分立, domain/admin-roles.ts ADMIN_DUTIES): each administrator sees the
 * tabs of their duty only — 系统管理 (sysadmin): departments and jurisdictions, the working-day
 * calendar, deadline policies; 安全管理 (secadmin): personal accounts, API keys; 安全审计 (auditadmin):
 * the administrators' trail, and the accounts and keys with their security trails, read only.
 */
import { Card, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { ADMIN_DUTIES, type AdminDuty } from '../../../domain/admin-roles.ts';
import type { Role } from '../../../domain/vocabulary.ts';
import { adminPageTitle } from '../labels.ts';
import { useSession } from '../session.tsx';
import Accounts from './admin/Accounts.tsx';
import Calendar from './admin/Calendar.tsx';
import Departments from './admin/Departments.tsx';
import Keys from './admin/Keys.tsx';
import Policies from './admin/Policies.tsx';
import Trail from './admin/Trail.tsx';

const TABS: Array<{ key: string; label: string; duty: AdminDuty; children: ReactNode }> = [
  { key: 'trail', label: '管理员操作记录', duty: 'trail', children: <Trail /> },
  { key: 'accounts', label: '个人账户', duty: 'accountReads', children: <Accounts /> },
  { key: 'keys', label: '接口密钥', duty: 'accountReads', children: <Keys /> },
  { key: 'departments', label: '部门与辖区', duty: 'configuration', children: <Departments /> },
  { key: 'calendar', label: '工作日历', duty: 'configuration', children: <Calendar /> },
  { key: 'policies', label: '期限政策', duty: 'configuration', children: <Policies /> },
];

export default function Admin() {
  const { account } = useSession();
  if (!account) return null;
  const items = TABS.filter((t) => (ADMIN_DUTIES[t.duty] as readonly Role[]).includes(account.role)).map(
    ({ key, label, children }) => ({ key, label, children }),
  );
  return (
    <>
      <Typography.Title level={3} className="page-title">
        {adminPageTitle(account.role)}
      </Typography.Title>
      <Card>
        <Tabs destroyOnHidden items={items} />
      </Card>
    </>
  );
}
