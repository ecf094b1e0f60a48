/** The console's entry: Ant Design in Chinese (zh_CN), styles under this response's CSP nonce. */
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { SessionProvider } from './session.tsx';
import './console.css';

const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;

// Ant Design passes the nonce to its style elements (ConfigProvider csp); one helper of its table
// (rc-util's scrollbar measurement) inserts a <style> without asking for it. Our own scripts (the
// only ones the policy lets run) get the nonce on the style elements they insert; markup injected
// into the page still cannot bring styles.
if (nonce) {
  for (const method of ['appendChild', 'insertBefore'] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept unbound: called with the node as `this` below
    const original = Node.prototype[method] as (this: Node, ...args: unknown[]) => Node;
    (Node.prototype as unknown as Record<string, unknown>)[method] = function (
      this: Node,
      child: unknown,
      ...rest: unknown[]
    ) {
      if (child instanceof HTMLStyleElement && !child.nonce) child.nonce = nonce;
      return original.call(this, child, ...rest);
    };
  }
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      csp={nonce ? { nonce } : undefined}
      theme={{
        token: { fontFamily: "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif" },
      }}
    >
      <AntApp>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
