{{- define "todo.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "todo.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "todo.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "todo.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "todo.secretName" -}}
{{ .Values.secrets.existingSecret | default (printf "%s-secrets" (include "todo.fullname" .)) }}
{{- end -}}

{{/* Non-empty when tokens come from an identity provider: the shared secret is optional then. */}}
{{- define "todo.identityProvider" -}}
{{- with .Values.config.auth }}{{ or .jwksUrl .issuer }}{{ end -}}
{{- end -}}

{{/* The environment every role reads: settings from the ConfigMap, secrets from the Secret. */}}
{{- define "todo.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "todo.fullname" . }}-config
env:
  - name: DATABASE_URL
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" . }}, key: DATABASE_URL } }
  - name: AUTH_JWT_SECRET
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" . }}, key: AUTH_JWT_SECRET{{ if include "todo.identityProvider" . }}, optional: true{{ end }} } }
  - name: DATABASE_DIRECT_URL
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" . }}, key: DATABASE_DIRECT_URL, optional: true } }
{{- range $key := list "VAPID_PUBLIC_KEY" "VAPID_PRIVATE_KEY" "SMTP_URL" }}
  - name: {{ $key }}
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" $ }}, key: {{ $key }}, optional: true } }
{{- end }}
{{- if .Values.config.kafka.saslMechanism }}
  - name: KAFKA_SASL_USERNAME
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" . }}, key: KAFKA_SASL_USERNAME } }
  - name: KAFKA_SASL_PASSWORD
    valueFrom: { secretKeyRef: { name: {{ include "todo.secretName" . }}, key: KAFKA_SASL_PASSWORD } }
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every workload. */}}
{{- define "todo.podSpec" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir: {}
{{- end -}}
