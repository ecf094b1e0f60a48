/**
 * The documents filed with a project (GET /v1/projects/{id}/documents): a filing's document shown
 * by its file name with 下载 and, for PDF and images, 预览 (a PDF opens in the browser's own viewer
 * in a new tab; an image in a dialog). The download is GET /v1/documents/{id} with the session
 * cookie; the API checks who may read it.
 */
import { Button, Image, Modal, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { formatBytes } from '../../../../domain/labels/problems.ts';
import { api, ok } from '../../api.ts';
import type { components } from '../../api-types.ts';
import { useLoad } from '../../hooks.ts';

export type DocumentMeta = components['schemas']['DocumentMeta'];
export type DocumentIndex = Map<string, DocumentMeta>;

/** The project's filed documents by id (reloaded with the view). */
export function useProjectDocuments(projectId: string, version: unknown) {
  const { data } = useLoad(
    () => ok(api.GET('/v1/projects/{id}/documents', { params: { path: { id: projectId } } })),
    [projectId, version],
  );
  return new Map((data?.items ?? []).map((d) => [d.id, d])) as DocumentIndex;
}

const PREVIEW = new Set(['application/pdf', 'image/png', 'image/jpeg']);
const href = (id: string, inline = false) =>
  `/v1/documents/${encodeURIComponent(id)}${inline ? '?disposition=inline' : ''}`;

/**
 * One filed document: by id (an uploaded document) with its name, download and preview; a legacy
 * free reference (`sha256:…`, a URL) is shown as the text it is.
 */
export function DocumentLink({
  id,
  reference,
  docs,
  testId,
}: {
  id?: string | null;
  reference?: string | null;
  docs: DocumentIndex;
  testId?: string;
}) {
  const [image, setImage] = useState(false);
  if (!id) {
    if (!reference) return <Typography.Text type="secondary">—</Typography.Text>;
    return (
      <Tooltip title="系统保存文件之前登记的引用">
        <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
          {reference}
        </Typography.Text>
      </Tooltip>
    );
  }
  const meta = docs.get(id);
  const name = meta?.fileName ?? '已上传的文件';
  return (
    <Space wrap size={4} data-testid={testId}>
      <Typography.Text>{name}</Typography.Text>
      {meta && <Typography.Text type="secondary">（{formatBytes(meta.size)}）</Typography.Text>}
      <a href={href(id)} download={meta?.fileName} data-testid={testId ? `${testId}-download` : undefined}>
        下载
      </a>
      {meta &&
        PREVIEW.has(meta.contentType) &&
        (meta.contentType === 'application/pdf' ? (
          <a
            href={href(id, true)}
            target="_blank"
            rel="noopener"
            data-testid={testId ? `${testId}-preview` : undefined}
          >
            预览
          </a>
        ) : (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => setImage(true)}
            data-testid={testId ? `${testId}-preview` : undefined}
          >
            预览
          </Button>
        ))}
      {meta && (
        <Tooltip title={`SM3 摘要：${meta.sm3}`}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            SM3 {meta.sm3.slice(0, 8)}…
          </Typography.Text>
        </Tooltip>
      )}
      {image && (
        <Modal open title={name} footer={null} onCancel={() => setImage(false)} width={800}>
          <Image src={href(id, true)} alt={name} preview={false} style={{ maxWidth: '100%' }} />
        </Modal>
      )}
    </Space>
  );
}
