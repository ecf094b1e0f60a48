{{/* Names and labels. */}}
{{- define "bdp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bdp.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "bdp.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
The environment both the API and the worker read (lib/config.ts): Temporal, the database and the
payload keyring, the last two as files of the Secret mounted at /run/secrets.
*/}}
{{- define "bdp.commonEnv" -}}
- name: TEMPORAL_ADDRESS
  value: {{ required "temporal.address is required" .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: TEMPORAL_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
- name: DATABASE_URL_FILE
  value: /run/secrets/database_url
- name: PAYLOAD_CIPHER
  value: {{ .Values.payloadCipher | quote }}
- name: PAYLOAD_KEYS_FILE
  value: /run/secrets/payload_keys
{{- if .Values.secrets.documentKeys }}
- name: DOCUMENT_KEYS_FILE
  value: /run/secrets/document_keys
{{- end }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
# tsx and npm write their caches under HOME; the root file system is read-only.
- name: HOME
  value: /tmp
{{- end -}}

{{/* The Secret's files and a writable /tmp (the root file system is read-only). */}}
{{- define "bdp.volumes" -}}
- name: secrets
  secret:
    secretName: {{ .Values.secrets.name }}
    # 0440 (decimal here: YAML 1.1 and 1.2 read a leading 0 differently)
    defaultMode: 288
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "bdp.volumeMounts" -}}
- name: secrets
  mountPath: /run/secrets
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "bdp.podSpecCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
