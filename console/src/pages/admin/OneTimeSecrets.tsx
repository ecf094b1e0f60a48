/**
 * What is shown only once after an administrator creates an account or a key: the initial password,
 * the authenticator secret as a QR code (Ant Design's QRCode, drawn in the page: nothing leaves the
 * browser), the API key. Closing the dialog forgets them.
 */
import { Alert, Button, Descriptions, Modal, QRCode, Space, Typography } from 'antd';

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP": easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/** The authenticator enrolment: QR code of the otpauth:// URI, and the secret for typing by hand. */
export function TotpEnrolment({ secret, otpauthUrl }: { secret: string; otpauthUrl: string }) {
  return (
    <Space align="start" wrap size="large" data-testid="totp-enrolment">
      <div role="img" aria-label="动态验证码二维码" data-testid="totp-qr">
        <QRCode value={otpauthUrl} size={176} type="svg" />
      </div>
      <Space direction="vertical" size="small" style={{ maxWidth: 300 }}>
        <Typography.Text>用手机上的身份验证器应用扫描二维码；无法扫描时手动输入密钥：</Typography.Text>
        <Typography.Text code copyable={{ text: secret, tooltips: ['复制密钥', '已复制'] }} data-testid="totp-secret">
          {grouped(secret)}
        </Typography.Text>
        <Typography.Text type="secondary">验证器每 30 秒生成一个 6 位动态验证码。</Typography.Text>
      </Space>
    </Space>
  );
}

export interface CreatedAccountSecrets {
  displayName: string;
  loginName: string;
  initialPassword: string;
  totpEnrolment: { secret: string; otpauthUrl: string } | null;
}

export function CreatedAccountDialog({
  created,
  onClose,
}: {
  created: CreatedAccountSecrets | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      open={created !== undefined}
      title="账户已创建"
      onCancel={onClose}
      maskClosable={false}
      width={620}
      footer={
        <Button type="primary" onClick={onClose}>
          已交给本人，关闭
        </Button>
      }
    >
      {created && (
        <div data-testid="created-account">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message={`初始密码${created.totpEnrolment ? '和身份验证器密钥' : ''}只显示这一次，请当面交给本人；关闭后无法再次查看。首次登录须修改初始密码。`}
          />
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="姓名">{created.displayName}</Descriptions.Item>
            <Descriptions.Item label="登录名">{created.loginName}</Descriptions.Item>
            <Descriptions.Item label="初始密码">
              <Typography.Text
                code
                copyable={{ text: created.initialPassword, tooltips: ['复制初始密码', '已复制'] }}
                data-testid="initial-password"
              >
                {created.initialPassword}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {created.totpEnrolment && (
            <div style={{ marginTop: 16 }}>
              <Typography.Paragraph strong>
                管理员账户须绑定身份验证器：首次登录时须输入其显示的动态验证码。
              </Typography.Paragraph>
              <TotpEnrolment {...created.totpEnrolment} />
            </div>
          )}
        </div>
      )}
    </Modal>
  );
}

export function CreatedKeyDialog({
  created,
  onClose,
}: {
  created: { name: string; key: string } | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      open={created !== undefined}
      title="接口密钥已创建"
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose}>
          已保存，关闭
        </Button>
      }
    >
      {created && (
        <div data-testid="created-key">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message="密钥只显示这一次，请立即保存到对接系统的配置中；关闭后无法再次查看。"
          />
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="名称">{created.name}</Descriptions.Item>
            <Descriptions.Item label="密钥">
              <Typography.Text
                code
                copyable={{ text: created.key, tooltips: ['复制密钥', '已复制'] }}
                style={{ wordBreak: 'break-all' }}
              >
                {created.key}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Modal>
  );
}
