{{/*
Usage (templates/job-migrate.yaml): {{ include "lib.migrationJob" . }}
Database migrations as a helm hook Job (pre-install,pre-upgrade) running
migrations.command (`node src/db/migrate-cli.ts`) in the same image as the Deployment, so
the schema is migrated before new pods start; a failed migration fails the release and
leaves the running pods untouched. The migrator takes a PostgreSQL advisory lock, so it is
also safe next to MIGRATE_ON_START in dev. Hooks run before the chart's ConfigMap and
ServiceAccount exist, so the Job carries its own env — the whole `env` map inline plus
DATABASE_URL and secretEnv — because migrate-cli.ts validates the service's config (auth's
checks DATABASE_URL only; no file is read, so secretFiles are not mounted) — and uses the
namespace's default ServiceAccount without a token. Rendered when
migrations.enabled and database.enabled.
*/}}
{{- define "lib.migrationJob" -}}
{{- if and .Values.migrations.enabled .Values.database.enabled -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ printf "%s-migrate" (include "lib.names.fullname" .) | trunc 63 | trimSuffix "-" }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    app.kubernetes.io/component: migration
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ .Values.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ .Values.migrations.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: {{ .Values.migrations.ttlSecondsAfterFinished }}
  template:
    metadata:
      labels:
        {{- include "lib.labels.standard" . | nindent 8 }}
        app.kubernetes.io/component: migration
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "lib.pod.securityContext" . | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "lib.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command:
            {{- toYaml .Values.migrations.command | nindent 12 }}
          env:
            {{- range $key, $value := .Values.env }}
            - name: {{ $key }}
              value: {{ tpl (toString $value) $ | quote }}
            {{- end }}
            {{- include "lib.env.connections" (dict "Values" (dict "database" .Values.database "redis" (dict "enabled" false) "rabbitmq" (dict "enabled" false))) | nindent 12 }}
            {{- include "lib.env.extraSecrets" . | nindent 12 }}
          resources:
            {{- toYaml .Values.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "lib.container.securityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end -}}
{{- end -}}
