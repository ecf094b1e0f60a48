/**
 * Issue 26's "done when": five personal accounts play ONE project through the console, from an
 * approved annual plan to decommissioning, every step by clicking in Debian's Chromium, with uploads.
 *
 * The system is the real one in this process: the worker and the Hono API (test/support/system.ts,
 * PGlite) on the Java time-skipping Temporal server, served over HTTP on a loopback port with the
 * built console at `/`. The only steps outside the console are the test's own set-up — the first
 * administrator, created with the accounts code as `npm run accounts -- create-admin` does — and
 * skipping the time-skipping server past the notice periods (days that must pass). The API's clock
 * and every browser context's clock follow the server's time, so "today" in the forms and date
 * pickers is the server's day, whatever day the test runs on.
 *
 *   王管理员 (系统管理): registers 市卫生健康委员会, creates the four accounts, reads each one-time password
 *   张伟 (项目单位)  李娜 (市大数据应用局)  刘洋 (审批部门)  陈静 (财政部门): sign in, change the password, and
 *   take every step of the lifecycle the role takes (docs/MEASURES.md "Stages"; Art. 6-29).
 *
 * After each step the person sees the stage, the next person's pending action, and in the end the
 * audit timeline names each of them (Art. 24-25). A screenshot of each step (1366×768) goes to
 * .artifacts/screenshots/lifecycle/, or with UPDATE_WALKTHROUGH=1 to docs/screenshots/ for
 * docs/CONSOLE-WALKTHROUGH.md.
 */
import { describe, expect } from 'vitest';
import { NEW_PASSWORD, submitAndFollow } from './support.ts';
import {
  card,
  choose,
  open,
  pendingOf,
  pickDate,
  recordTab,
  seeInTab,
  stageOf,
  submit,
  tabText,
  upload,
  ymd,
} from './support/console-actions.ts';
import {
  base,
  day,
  outside,
  pdf,
  people,
  profile,
  projectId,
  setProjectId,
  shot,
  signIn,
  skipTo,
  step,
  useLifecycleStory,
  year,
} from './support/lifecycle-story.ts';

const TITLE = '全民健康信息平台';
const CONTRACTOR = '晋城市数字科技有限公司';

useLifecycleStory();

describe.sequential('five people run one project from the annual plan to decommissioning in the console', () => {
  step(
    'Art. 24-25: the system administrator registers the department, the security administrator creates the four personal accounts, each one-time password read from the dialog',
    async () => {
      const sys = await signIn(people.sysadmin);
      await sys.goto(`${base}/admin`);
      await sys.getByRole('tab', { name: '部门与辖区' }).click();
      await sys.locator('#dep-name').fill('市卫生健康委员会');
      await sys.locator('#dep-code').fill('wjw');
      await sys.getByRole('button', { name: '登记部门' }).click();
      await expect
        .poll(() => sys.getByTestId('departments').innerText(), { timeout: 30_000 })
        .toContain('市卫生健康委员会');
      await shot(sys, 'admin-department');

      const page = await signIn(people.admin);
      await page.goto(`${base}/admin`);
      await page.getByRole('tab', { name: '个人账户' }).click();
      for (const person of [people.dept, people.bdb, people.approval, people.finance]) {
        await page.locator('#acc-name').fill(person.displayName);
        await page.locator('#acc-login').fill(person.loginName);
        await choose(page, '#acc-role', new RegExp(`^${person.roleLabel}$`));
        if (person.role === 'department') await choose(page, '#acc-department', '市卫生健康委员会', '卫生');
        await page.getByRole('button', { name: '创建账户' }).click();
        const dialog = page.getByTestId('created-account');
        await dialog.waitFor({ timeout: 30_000 });
        person.password = (await dialog.getByTestId('initial-password').locator('code').innerText()).trim();
        expect(person.password).toHaveLength(16);
        if (person === people.dept) await shot(page, 'admin-account-password');
        await page.getByRole('button', { name: '已交给本人，关闭' }).click();
        await dialog.waitFor({ state: 'hidden' });
      }
      const list = await page.locator('main').innerText();
      for (const person of [people.dept, people.bdb, people.approval, people.finance])
        expect(list).toContain(person.loginName);
      expect(list).toContain('待修改初始密码');
    },
  );

  step('each person signs in with the one-time password and changes it', async () => {
    for (const person of [people.dept, people.bdb, people.approval, people.finance]) {
      const page = await signIn(person);
      expect(person.password).toBe(NEW_PASSWORD);
      await expect
        .poll(() => page.getByTestId('who').innerText(), { timeout: 30_000 })
        .toContain(person.role === 'department' ? '张伟（项目单位 · 市卫生健康委员会）' : person.displayName);
    }
    // The browser's "today" is the server's.
    const browserDay = await people.bdb.page!.evaluate(() =>
      new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
    );
    expect(browserDay).toBe(day());
    await shot(people.dept.page!, 'department-inbox');
  });

  step("Art. 6: the BDB drafts the annual plan item and records the city government's approval", async () => {
    const page = people.bdb.page!;
    const y = year();
    await page.goto(`${base}/plans`);
    await page.getByTestId('plan-versions').waitFor({ timeout: 30_000 });
    await page.locator('#plan-year').fill(String(y));
    await page.getByRole('button', { name: '添加计划项目' }).click();
    await page.locator('#f-0-code').fill(`${y}-WJW-01`);
    await page.locator('#f-0-title').fill(TITLE);
    await choose(page, '#f-0-department', '市卫生健康委员会', '卫生');
    await page.locator('#f-0-ceilingFen').fill('2000000');
    await page.getByRole('button', { name: '保存年度计划' }).click();
    const draft = page.getByTestId('plan-draft');
    await expect.poll(() => draft.innerText(), { timeout: 30_000 }).toContain(TITLE);
    expect(await draft.innerText()).toContain('草稿');
    await page.locator('#approval-date').fill(day(-1));
    await page.locator('#approval-no').fill(`晋市政函〔${y}〕6号`);
    await page.getByRole('button', { name: /记录批准/ }).click();
    const inForce = page.getByTestId('plan-in-force');
    await expect.poll(() => inForce.innerText(), { timeout: 30_000 }).toContain(TITLE);
    for (const text of ['已批准', `晋市政函〔${y}〕6号`, '李娜', '2,000,000.00 元', '市卫生健康委员会'])
      expect(await inForce.innerText()).toContain(text);
    await shot(page, 'plan-approved');
  });

  step('Art. 8, 14: the department applies with the four uploaded documents and names the 项目负责人', async () => {
    const page = people.dept.page!;
    const y = year();
    await page.goto(`${base}/projects/new`);
    const f = (id: string) => page.locator(`#f-${id}`);
    await f('title').fill(TITLE);
    await f('summary').fill('建设全市统一的全民健康信息平台，汇聚医疗机构诊疗数据，按目录向政务数据共享平台开放。');
    await f('annualPlanItem').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: `${y}-WJW-01`,
      })
      .first()
      .click();
    await f('estimate-totalFen').fill('1500000');
    await f('estimate-cityShareFen').fill('1500000');
    await f('estimate-countyShareFen').fill('0');
    await pickDate(page, '#f-plannedCompletionDate', `${y + 1}-06-30`);
    await f('leader-name').fill('张伟');
    await f('leader-post').fill('信息中心主任');
    await f('leader-contact').fill('0356-2058866');
    for (const [kind, name] of [
      ['proposal', '项目建议书.pdf'],
      ['feasibilityStudy', '可行性研究报告.pdf'],
      ['preliminaryDesign', '初步设计方案.pdf'],
      ['investmentEstimate', '投资概算.pdf'],
    ] as const) {
      await upload(page, `upload-documentIds-${kind}`, pdf(name));
    }
    expect(await page.getByTestId('upload-documentIds-proposal-sm3').innerText()).toMatch(/SM3 摘要：[0-9a-f]{64}/);
    await shot(page, 'apply');
    await submitAndFollow(page, '提交申报', /\/projects\/JC\d{4}-/);
    setProjectId(decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!));
    await open(people.dept, '技术审核');
    expect(await pendingOf(page)).toContain('市大数据应用局：技术审核');
  });

  step(
    'Art. 7: the BDB finds the application in 待办, sees it and its documents, and passes the technical review',
    async () => {
      const page = people.bdb.page!;
      await page.goto(`${base}/inbox`);
      const row = page.locator('tr', { hasText: projectId });
      await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('技术审核');
      await shot(page, 'inbox-bdb');
      await row.getByRole('link', { name: TITLE }).click();
      await page.getByTestId('stage-tag').waitFor({ timeout: 30_000 });
      expect(await stageOf(page)).toBe('技术审核');
      const application = page.getByTestId('application');
      await expect.poll(() => application.innerText(), { timeout: 30_000 }).toContain('项目建议书.pdf');
      for (const text of [
        '汇聚医疗机构诊疗数据',
        '1,500,000.00 元',
        '可行性研究报告.pdf',
        '初步设计方案.pdf',
        '投资概算.pdf',
      ])
        expect(await application.innerText()).toContain(text);
      expect(await page.getByTestId('application-leader').innerText()).toBe('张伟（信息中心主任，0356-2058866）');
      const review = await card(page, 'technical-review');
      await review.getByText('通过', { exact: true }).click();
      for (const item of ['信息资源目录', '数据共享', '集约建设', '迁云上云', '安全可控'])
        await review.getByLabel(item).check();
      await review.locator('#f-opinion').fill('符合信息资源目录、数据共享和集约建设要求，同意通过。');
      await shot(page, 'technical-review');
      await submit(page, review, async () => (await stageOf(page)) === '审批立项');
      expect(await pendingOf(page)).toContain('审批部门：审批立项');
    },
  );

  step('Art. 8: the approval bureau approves the establishment with the 批复概算', async () => {
    const page = await open(people.approval, '审批立项');
    const est = await card(page, 'establishment');
    await est.getByText('批准立项', { exact: true }).click();
    await est.locator('#f-approvalNo').fill(`晋审批〔${year()}〕21号`);
    await est.locator('#f-approvedEstimateFen').fill('1200000');
    await est.locator('#f-opinion').fill('同意立项，批复概算 120 万元。');
    await shot(page, 'establishment');
    await submit(page, est, async () => (await stageOf(page)) === '资金安排');
    expect(await pendingOf(page)).toContain('财政部门：安排资金');
    expect(await page.getByTestId('application').innerText()).toContain('1,200,000.00 元');
  });

  step("Art. 10: finance budgets the construction money; it is held for the BDB's allocation plan", async () => {
    const page = await open(people.finance, '资金安排');
    const budget = await card(page, 'budget');
    await budget.locator('#f-amountFen').fill('1000000');
    await budget.locator('#f-cityShareFen').fill('1000000');
    await budget.locator('#f-countyShareFen').fill('0');
    await shot(page, 'budget');
    await submit(page, budget, async () => (await pendingOf(page)).includes('市大数据应用局：资金拟分配计划公示'));
    expect(await stageOf(page)).toBe('资金安排');
  });

  step('Art. 11: the BDB publishes the allocation plan; the notice period starts', async () => {
    const page = await open(people.bdb, '资金安排');
    const publication = page.getByTestId('action-allocation-publication');
    await publication.waitFor({ timeout: 30_000 });
    await shot(page, 'allocation-plan');
    await publication.getByRole('button', { name: '发布拟分配计划并公示' }).click();
    await expect.poll(() => stageOf(page), { timeout: 60_000 }).toBe('公示');
    // The public notice page lists it, without sign-in.
    const visitor = await profile();
    const pub = await visitor.newPage();
    await pub.goto(`${base}/public`);
    await expect.poll(() => pub.locator('body').innerText(), { timeout: 30_000 }).toContain(TITLE);
    await shot(pub, 'public-notice');
    await visitor.close();
  });

  step(
    'Art. 11: the notice period passes (the time-skipping server skips the days); the money is available, the project awaits its contract',
    async () => {
      const page = await open(people.bdb, '公示');
      await recordTab(page, '期限');
      const row = page.getByTestId('deadlines').locator('tr', { hasText: '公示' }).first();
      await row.waitFor({ timeout: 30_000 });
      // The 截止 column: the notice period's last day.
      const due = ymd(await row.locator('td').nth(2).innerText());
      expect(due, await row.innerText()).toBeDefined();
      expect(due! > day()).toBe(true);
      await skipTo(new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
      // Days passed: every session idled out; each person signs in again, on the new day.
      for (const person of [people.dept, people.bdb, people.approval, people.finance]) await signIn(person);
      const dept = await open(people.dept, '合同签订');
      expect(await pendingOf(dept)).toContain('项目单位：登记合同');
      await expect.poll(() => tabText(dept, '资金'), { timeout: 30_000 }).toContain('1,000,000.00');
      await shot(dept, 'publicity-ended');
    },
  );

  step(
    'Art. 13-15: the department records the contract — procurement method, supervising firm, the uploaded text filed with the BDB',
    async () => {
      const page = await open(people.dept, '合同签订');
      const contract = await card(page, 'contract');
      await contract.locator('#f-contractNo').fill(`WJW-HT-${year()}-01`);
      await contract.locator('#f-contractor').fill(CONTRACTOR);
      await contract.locator('#f-amountFen').fill('980000');
      // The date picker's 今天 is the server's day.
      await contract.locator('#f-signedOn').click();
      await page
        .locator(
          '.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-now-btn, .ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-today-btn',
        )
        .first()
        .click();
      expect(ymd(await contract.locator('#f-signedOn').inputValue())).toBe(day());
      await choose(contract, '#f-procurement-method', '公开招标');
      await contract.locator('#f-supervisor').fill('山西诚信工程监理有限公司');
      await upload(contract, 'upload-documentId', pdf('合同文本.pdf'));
      await shot(page, 'contract');
      await submit(page, contract, async () => (await stageOf(page)) === '建设');
      await expect.poll(() => tabText(page, '合同与调整'), { timeout: 30_000 }).toContain(CONTRACTOR);
      await seeInTab(page, '合同与调整', ['公开招标', '山西诚信工程监理有限公司', '合同文本.pdf']);
    },
  );

  step('Art. 10: finance disburses construction money', async () => {
    const page = await open(people.finance, '建设');
    const disbursement = await card(page, 'disbursement', true);
    await disbursement.getByText('建设资金', { exact: true }).click();
    await disbursement.locator('#f-amountFen').fill('500000');
    await disbursement.locator('#f-note').fill('首期款');
    await shot(page, 'disbursement');
    await submit(page, disbursement, async () => (await disbursement.innerText()).includes('已提交'));
    await expect.poll(() => tabText(page, '资金'), { timeout: 30_000 }).toContain('500,000.00');
  });

  step('Art. 16: the department files a 对照分析 of progress and fund use against the approved plan', async () => {
    const page = await open(people.dept, '建设');
    const pending = (await pendingOf(page)).includes('报送对照分析');
    const report = await card(page, 'progress-report', !pending);
    const quarter = Math.floor((Number(day().slice(5, 7)) - 1) / 3) + 1;
    if (!pending) {
      await report.locator('#f-period').click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
          hasText: `${year()}年第${quarter}季度`,
        })
        .first()
        .click();
    }
    await report.locator('#f-spentFen').fill('500000');
    await report.locator('#f-progressPercent').fill('45');
    await report.locator('#f-summary').fill('平台主体开发完成 45%，资金使用与批复方案一致。');
    await shot(page, 'progress-report');
    await submit(
      page,
      report,
      async () => (await report.count()) === 0 || (await report.innerText()).includes('已提交'),
    );
    await expect.poll(() => tabText(page, '合同与调整'), { timeout: 30_000 }).toContain('平台主体开发完成 45%');
  });

  step('Art. 17: a change request; the approval bureau and finance give their opinions; the BDB decides', async () => {
    const dept = await open(people.dept, '建设');
    const request = await card(dept, 'change-request', true);
    await request.getByText('预算', { exact: true }).click();
    await request.locator('#f-description').fill('合同价低于批复概算，核减预算 10 万元。');
    await request.locator('#f-budgetDeltaFen').fill('-100000');
    await submit(dept, request, async () => (await pendingOf(dept)).includes('对调整申请提出意见'));
    expect(await pendingOf(dept)).toContain('审批部门：对调整申请提出意见');
    expect(await pendingOf(dept)).toContain('财政部门：对调整申请提出意见');

    for (const [person, text] of [
      [people.approval, '符合立项批复，同意核减。'],
      [people.finance, '同意核减，相应调整预算。'],
    ] as const) {
      const page = await open(person, '建设');
      const opinion = await card(page, 'change-request-opinion');
      await opinion.locator('#f-opinion').fill(text);
      await opinion.getByLabel(/同意/).check();
      if (person === people.finance) await shot(page, 'change-request-opinion');
      await submit(page, opinion, async () => (await page.getByTestId('action-change-request-opinion').count()) === 0);
    }

    const bdb = await open(people.bdb, '建设');
    const decision = await card(bdb, 'change-request-decision');
    const basis = await bdb.getByTestId('basis-change-request-decision').innerText();
    expect(basis).toContain('符合立项批复，同意核减。');
    expect(basis).toContain('同意核减，相应调整预算。');
    await decision.getByText('同意', { exact: true }).click();
    await decision.locator('#f-opinion').fill('经征求审批部门和财政部门意见，同意核减。');
    await shot(bdb, 'change-request-decision');
    await submit(bdb, decision, async () => (await bdb.getByTestId('action-change-request-decision').count()) === 0);
    await seeInTab(bdb, '合同与调整', ['合同价低于批复概算', '-100,000.00 元', '刘洋', '陈静']);
  });

  step('Art. 22: the BDB orders rectification; the department responds with evidence; the BDB accepts it', async () => {
    const bdb = await open(people.bdb, '建设');
    const order = await card(bdb, 'rectification-order', true);
    await choose(order, '#f-reason', '其他');
    await order.locator('#f-description').fill('初步设计中的数据接口未按目录对接共享平台，请限期整改。');
    await pickDate(order, '#f-dueOn', day(30));
    await submit(bdb, order, async () => (await pendingOf(bdb)).includes('项目单位：报送整改情况'));

    const dept = await open(people.dept, '建设');
    const response = await card(dept, 'rectification-response');
    expect(await dept.getByTestId('basis-rectification-response').innerText()).toContain(
      '数据接口未按目录对接共享平台',
    );
    await response.locator('#f-description').fill('已按目录完成数据接口对接，附对接测试报告。');
    await upload(response, 'upload-documentId', pdf('数据接口对接测试报告.pdf'));
    await shot(dept, 'rectification-response');
    await submit(dept, response, async () => (await pendingOf(dept)).includes('市大数据应用局：审核整改情况'));

    const bdb2 = await open(people.bdb, '建设');
    const review = await card(bdb2, 'rectification-review');
    expect(await bdb2.getByTestId('basis-rectification-review').innerText()).toContain('已按目录完成数据接口对接');
    await review.getByText('接受', { exact: true }).click();
    await review.locator('#f-opinion').fill('整改到位。');
    await submit(bdb2, review, async () => (await bdb2.getByTestId('action-rectification-review').count()) === 0);
    await recordTab(bdb2, '整改');
    const rectification = bdb2.locator('[data-testid^=rectification-]').first();
    await expect.poll(() => rectification.innerText(), { timeout: 30_000 }).toContain('整改通过');
    expect(await rectification.innerText()).toContain('数据接口对接测试报告.pdf');
    await shot(bdb2, 'rectification-accepted');
  });

  step('Art. 19, 28: the department registers the resource catalogue and the joint risk assessment', async () => {
    const page = await open(people.dept, '建设');
    const catalogue = await card(page, 'catalog-entries', true);
    await catalogue.getByRole('button', { name: /添加/ }).click();
    await catalogue.locator('#f-0-code').fill('WJW-001');
    await catalogue.locator('#f-0-name').fill('居民电子健康档案');
    await catalogue.getByText('有条件共享', { exact: true }).click();
    await catalogue.locator('#f-0-updateCycle').fill('每日');
    await shot(page, 'catalogue');
    await submit(page, catalogue, async () => (await catalogue.innerText()).includes('已提交'));

    await page.getByTestId('offer-catalog-entries').click();
    const risk = await card(page, 'risk-assessment', true);
    await pickDate(risk, '#f-assessedOn', day());
    await risk.locator('#f-result').fill('风险可控，已落实等级保护三级要求。');
    await risk.locator('#f-bdbParticipant').fill('市大数据应用局安全科 李娜');
    await upload(risk, 'upload-documentId', pdf('风险评估报告.pdf'));
    await shot(page, 'risk-assessment');
    await submit(page, risk, async () => (await risk.innerText()).includes('已提交'));
  });

  step(
    "Art. 18: preliminary acceptance with the uploaded report, then the BDB's technical and the approval bureau's completion acceptance",
    async () => {
      const dept = await open(people.dept, '建设');
      const preliminary = await card(dept, 'preliminary-acceptance');
      await pickDate(preliminary, '#f-completedOn', day());
      await upload(preliminary, 'upload-documentId', pdf('初步验收报告.pdf'));
      await shot(dept, 'preliminary-acceptance');
      await submit(dept, preliminary, async () => (await stageOf(dept)) === '联合验收');
      expect(await pendingOf(dept)).toContain('市大数据应用局：技术验收');
      expect(await pendingOf(dept)).toContain('审批部门：竣工验收');

      const bdb = await open(people.bdb, '联合验收');
      const technical = await card(bdb, 'technical-acceptance');
      await technical.getByText('通过', { exact: true }).click();
      await technical.locator('#f-opinion').fill('软硬件自主可控，等级保护三级，密码应用安全性评估通过。');
      await technical.getByLabel(/自主可控|安全可控/).check();
      await technical.locator('#f-mlpsLevel').fill('3');
      await technical.getByLabel(/密码/).check();
      await shot(bdb, 'technical-acceptance');
      await submit(bdb, technical, async () => (await bdb.getByTestId('action-technical-acceptance').count()) === 0);

      const approval = await open(people.approval, '联合验收');
      const completion = await card(approval, 'completion-acceptance');
      await completion.getByText('通过', { exact: true }).click();
      await completion.locator('#f-opinion').fill('资源目录已在共享平台注册，同意竣工验收。');
      await shot(approval, 'completion-acceptance');
      await submit(approval, completion, async () => (await stageOf(approval)) === '竣工验收报告备案');
      expect(await pendingOf(approval)).toContain('项目单位：竣工验收报告备案');
      await seeInTab(approval, '验收与评估', [
        '初步验收报告.pdf',
        '等级保护第3级',
        '资源目录已在共享平台注册',
        '居民电子健康档案',
        '李娜',
        '刘洋',
      ]);
    },
  );

  step(
    'Art. 29, 21: the emergency plan made with the contractor, then the 竣工验收报告 with its upload — the project operates',
    async () => {
      const page = await open(people.dept, '竣工验收报告备案');
      expect(await pendingOf(page)).toContain('项目单位：登记应急预案');
      const plan = await card(page, 'emergency-plan');
      await pickDate(plan, '#f-adoptedOn', day());
      await plan.locator('#f-contractor').fill(CONTRACTOR);
      await upload(plan, 'upload-documentId', pdf('网络安全应急预案.pdf'));
      await shot(page, 'emergency-plan');
      await submit(page, plan, async () => !(await pendingOf(page)).includes('登记应急预案'));

      const report = await card(page, 'completion-report');
      await upload(report, 'upload-documentId', pdf('竣工验收报告.pdf'));
      await shot(page, 'completion-report');
      await submit(page, report, async () => (await stageOf(page)) === '运行');
      await seeInTab(page, '验收与评估', ['竣工验收报告.pdf']);
      await seeInTab(page, '安全', [
        '风险评估报告.pdf',
        '市大数据应用局安全科 李娜',
        '网络安全应急预案.pdf',
        CONTRACTOR,
      ]);
    },
  );

  step('Art. 21: the BDB reviews the O&M cost; finance budgets the O&M money; the BDB publishes it', async () => {
    const bdb = await open(people.bdb, '运行');
    const pending = (await pendingOf(bdb)).includes('审核运维经费');
    const review = await card(bdb, 'om-review', !pending);
    await review.locator('#f-year').fill(String(year()));
    await review.locator('#f-approvedFen').fill('120000');
    await review.locator('#f-opinion').fill('运维经费按合同价的 12% 核定。');
    await shot(bdb, 'om-review');
    await submit(bdb, review, async () => (await pendingOf(bdb)).includes('财政部门：安排资金'));

    const finance = await open(people.finance, '运行');
    const budget = await card(finance, 'budget');
    expect(await budget.locator('#f-year').inputValue()).toBe(String(year()));
    await budget.locator('#f-amountFen').fill('120000');
    await budget.locator('#f-cityShareFen').fill('120000');
    await budget.locator('#f-countyShareFen').fill('0');
    await submit(finance, budget, async () =>
      (await pendingOf(finance)).includes('市大数据应用局：资金拟分配计划公示'),
    );

    const bdb2 = await open(people.bdb, '运行');
    await bdb2
      .getByTestId('action-allocation-publication')
      .getByRole('button', { name: '发布拟分配计划并公示' })
      .click();
    await expect.poll(() => pendingOf(bdb2), { timeout: 60_000 }).not.toContain('资金拟分配计划公示');
  });

  step("Art. 11, 21: the O&M money's notice period passes (skipped); finance disburses O&M money", async () => {
    const bdb = await open(people.bdb, '运行');
    await recordTab(bdb, '期限');
    const row = bdb.getByTestId('deadlines').locator('tr', { hasText: 'alloc-2' }).first();
    await row.waitFor({ timeout: 30_000 });
    const due = ymd(await row.locator('td').nth(2).innerText());
    expect(due, await row.innerText()).toBeDefined();
    await skipTo(new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    for (const person of [people.dept, people.bdb, people.approval, people.finance]) await signIn(person);
    const page = await open(people.finance, '运行');
    const disbursement = await card(page, 'disbursement', true);
    await disbursement.getByText('运维资金', { exact: true }).click();
    await disbursement.locator('#f-amountFen').fill('60000');
    await disbursement.locator('#f-note').fill('上半年运维费');
    await shot(page, 'om-disbursement');
    await submit(page, disbursement, async () => (await disbursement.innerText()).includes('已提交'));
    await expect.poll(() => tabText(page, '资金'), { timeout: 30_000 }).toContain('60,000.00');
  });

  step('Art. 23: the BDB evaluates the operating project', async () => {
    const page = await open(people.bdb, '运行');
    const pending = (await pendingOf(page)).includes('年度评估');
    const evaluation = await card(page, 'evaluation', !pending);
    await evaluation.locator('#f-year').fill(String(year()));
    await evaluation.locator('#f-fundUseScore').fill('90');
    await evaluation.locator('#f-outputScore').fill('88');
    await evaluation.locator('#f-effectScore').fill('85');
    await evaluation.locator('#f-satisfactionScore').fill('92');
    await evaluation.getByLabel(/共享/).check();
    await evaluation.getByLabel(/落盘|存储/).check();
    await evaluation.locator('#f-summary').fill('数据按目录共享并在平台落盘，运行良好。');
    await shot(page, 'evaluation');
    await submit(
      page,
      evaluation,
      async () => (await evaluation.count()) === 0 || (await evaluation.innerText()).includes('已提交'),
    );
    await expect.poll(() => tabText(page, '验收与评估'), { timeout: 30_000 }).toContain('数据按目录共享并在平台落盘');
  });

  step('Art. 29: the department reports a security incident and records a drill', async () => {
    const page = await open(people.dept, '运行');
    const incident = await card(page, 'security-incident', true);
    await pickDate(incident, '#f-occurredAt', `${day()} 09:30`);
    await incident.getByText('中', { exact: true }).click();
    await incident.locator('#f-description').fill('发现异常登录尝试。');
    await incident.locator('#f-handling').fill('已封禁来源地址并修改口令。');
    await incident.locator('#f-reportedTo').fill('市委网信办');
    await pickDate(incident, '#f-reportedAt', `${day()} 10:00`);
    await shot(page, 'security-incident');
    await submit(page, incident, async () => (await incident.innerText()).includes('已提交'));

    const drill = await card(page, 'security-drill', true);
    await pickDate(drill, '#f-heldOn', day());
    await drill.locator('#f-scenario').fill('数据库勒索病毒攻击');
    await drill.locator('#f-summary').fill('两小时内从备份恢复，业务未中断。');
    await submit(page, drill, async () => (await drill.innerText()).includes('已提交'));
    await seeInTab(page, '安全', ['数据库勒索病毒攻击', '市委网信办']);
  });

  step('decommissioning: the BDB takes the system out of operation', async () => {
    const page = await open(people.bdb, '运行');
    const decommission = await card(page, 'decommission', true);
    await decommission.locator('#f-reason').fill('功能并入市级一体化政务数据平台。');
    await submit(page, decommission, async () => (await stageOf(page)) === '已下线');
    await expect
      .poll(() => page.getByTestId('action-panel').innerText(), { timeout: 30_000 })
      .toContain('项目已结束，不再办理事项');
    expect(await pendingOf(page)).toBe('—');
    // Every step of the way was done: nine finished steps, none marked failed.
    const steps = page.getByLabel('阶段进度');
    expect(await steps.locator('.ant-steps-item-finish').count()).toBe(9);
    expect(await steps.locator('.ant-steps-item-error').count()).toBe(0);
    await shot(page, 'decommissioned', 'page');
  });

  step('Art. 24-25: the audit timeline names each person who acted, the chain intact', async () => {
    const page = await open(people.dept, '已下线');
    await recordTab(page, '审计记录');
    const timeline = page.getByTestId('audit-timeline');
    await expect.poll(() => timeline.innerText(), { timeout: 30_000 }).toContain('系统下线');
    const text = await timeline.innerText();
    for (const person of [people.dept, people.bdb, people.approval, people.finance])
      expect(text).toContain(person.displayName);
    expect(await page.getByTestId('chain-status').innerText()).toContain('哈希链校验通过');
    await shot(page, 'audit-timeline', page.getByRole('tab', { name: '审计记录', exact: true }));
    expect(outside).toEqual([]);
  });
});
