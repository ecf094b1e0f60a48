/**
 * Uploading a document to file (Art. 8, 15, 18, 21, 22, 28, 29): drag and drop or choose a file;
 * it is streamed to POST /v1/documents (raw body, its type, its name in X-File-Name) with a progress
 * bar, and once stored its id becomes the form field's value — nobody types a document id. The SM3
 * the API computed is shown. A refusal (type, size, empty) is the API's Chinese problem text.
 */
import { Alert, Button, Progress, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { problemOf, writeHeaders, type Problem } from './api.ts';
import { ACCEPTED_DOCUMENTS, formatBytes } from '../../domain/labels/problems.ts';
import { ProblemAlert } from './Problem.tsx';

/** The types the API accepts (lib/documents.ts DOCUMENT_TYPES), by file extension. */
export const UPLOAD_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** What POST /v1/documents answers. */
export interface UploadedDocument {
  id: string;
  sm3: string;
  size: number;
  contentType: string;
  fileName: string;
}

const extensionOf = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** Sends one file; `onProgress` gets 0-100. Resolves with the stored document or rejects with the API's problem. */
export function uploadDocument(file: File, onProgress: (percent: number) => void): Promise<UploadedDocument> {
  return new Promise((resolve, reject) => {
    const type = UPLOAD_TYPES[extensionOf(file.name)] ?? file.type ?? 'application/octet-stream';
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/documents');
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    for (const [k, v] of Object.entries(writeHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) resolve(body as UploadedDocument);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller shows the API's problem object
      else reject(problemOf(body, new Response(null, { status: xhr.status })));
    };
    // The API closes the connection on an oversized file without reading it: the browser may see no answer.
    xhr.onerror = () =>
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a problem object, as above
      reject({
        status: 0,
        title: '上传中断',
        detail: `连接在上传过程中断开（${formatBytes(file.size)}）：文件可能超过大小上限，或网络中断，请检查后重试。`,
      } satisfies Problem);
    xhr.send(file);
  });
}

export interface DocumentUploadProps {
  /** The document id (the form field's value). */
  value?: string;
  onChange?: (id: string | undefined) => void;
  /** What the document is (项目建议书, 合同文本…), for the hint and the accessible name. */
  label: string;
  testId: string;
}

export function DocumentUpload({ value, onChange, label, testId }: DocumentUploadProps) {
  const [percent, setPercent] = useState<number>();
  const [doc, setDoc] = useState<UploadedDocument>();
  const [problem, setProblem] = useState<Problem>();
  const shown = doc && doc.id === value ? doc : undefined;

  const send = async (file: File) => {
    setProblem(undefined);
    setPercent(0);
    try {
      const stored = await uploadDocument(file, setPercent);
      setDoc(stored);
      onChange?.(stored.id);
    } catch (err) {
      setProblem(err as Problem);
      onChange?.(undefined);
    } finally {
      setPercent(undefined);
    }
  };

  return (
    <div data-testid={testId} className="document-upload">
      {shown ? (
        <Alert
          type="success"
          showIcon
          data-testid={`${testId}-done`}
          message={
            <Space wrap>
              <span>已上传：{shown.fileName}</span>
              <Typography.Text type="secondary">{formatBytes(shown.size)}</Typography.Text>
            </Space>
          }
          description={
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12, wordBreak: 'break-all' }}
              data-testid={`${testId}-sm3`}
            >
              SM3 摘要：{shown.sm3}
            </Typography.Text>
          }
          action={
            <Button size="small" onClick={() => (setDoc(undefined), onChange?.(undefined))}>
              更换文件
            </Button>
          }
        />
      ) : (
        <Upload.Dragger
          accept={Object.keys(UPLOAD_TYPES)
            .map((e) => `.${e}`)
            .join(',')}
          multiple={false}
          showUploadList={false}
          disabled={percent !== undefined}
          customRequest={() => undefined}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
          aria-label={`上传${label}`}
        >
          <p className="ant-upload-text">将{label}拖到此处，或点击选择文件</p>
          <p className="ant-upload-hint">
            可上传 {ACCEPTED_DOCUMENTS}；文件类型按内容核验，单个文件默认不超过 {formatBytes(50 * 1024 ** 2)}
          </p>
        </Upload.Dragger>
      )}
      {percent !== undefined && (
        <Progress percent={percent} size="small" data-testid={`${testId}-progress`} aria-label={`${label}上传进度`} />
      )}
      {value && !shown && !percent && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
          已选择之前上传的文件
        </Typography.Text>
      )}
      {problem && <ProblemAlert problem={problem} />}
    </div>
  );
}
