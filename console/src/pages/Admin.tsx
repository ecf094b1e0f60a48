/** 系统管理 (admin): personal accounts, API keys, departments and jurisdictions, the working-day calendar, deadline policies. */
import { Card, Tabs, Typography } from 'antd';
import Accounts from './admin/Accounts.tsx';
import Calendar from './admin/Calendar.tsx';
import Departments from './admin/Departments.tsx';
import Keys from './admin/Keys.tsx';
import Policies from './admin/Policies.tsx';

export default function Admin() {
  return (
    <>
      <Typography.Title level={3} className="page-title">
        系统管理
      </Typography.Title>
      <Card>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'accounts', label: '个人账户', children: <Accounts /> },
            { key: 'keys', label: '接口密钥', children: <Keys /> },
            { key: 'departments', label: '部门与辖区', children: <Departments /> },
            { key: 'calendar', label: '工作日历', children: <Calendar /> },
            { key: 'policies', label: '期限政策', children: <Policies /> },
          ]}
        />
      </Card>
    </>
  );
}
