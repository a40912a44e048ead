{{/*
config-api's environment: docs/config-api.md (settings) and docs/kubernetes.md (the Kubernetes
runtime mode and the worker Pod defaults the operator uses). Pod identity comes from the downward
API: with hostNetwork, HOSTNAME is the node's name, not the Pod's.
*/}}
{{- define "kwdb-connect.configApiEnv" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- with .Values.kubernetesApi.host }}
- name: KUBERNETES_SERVICE_HOST
  value: {{ . | quote }}
{{- end }}
{{- with .Values.kubernetesApi.port }}
- name: KUBERNETES_SERVICE_PORT
  value: {{ . | quote }}
{{- end }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ join "," .Values.kafka.bootstrapServers | quote }}
- name: KWDB_CONNECT_STATUS_TOPIC
  value: {{ .Values.kafka.statusTopic | quote }}
- name: KWDB_CONNECT_OFFSETS_TOPIC
  value: {{ .Values.kafka.offsetsTopic | quote }}
- name: KWDB_CONNECT_REST_HOST
  value: {{ .Values.configApi.listen.host | quote }}
- name: KWDB_CONNECT_REST_PORT
  value: {{ .Values.configApi.listen.port | quote }}
- name: KWDB_CONNECT_REST_ADVERTISED_HOST
  value: "$(POD_IP)"
- name: KWDB_CONNECT_LOG_LEVEL
  value: {{ .Values.configApi.logLevel | quote }}
- name: KWDB_CONNECT_DATA_DIR
  value: /var/lib/kwdb-connect
- name: KWDB_CONNECT_RUNTIME
  value: kubernetes
- name: KWDB_CONNECT_NAMESPACE
  value: {{ include "kwdb-connect.connectorNamespace" . | quote }}
- name: KWDB_CONNECT_POD_NAME
  value: "$(POD_NAME)"
- name: KWDB_CONNECT_LEASE_NAME
  value: {{ include "kwdb-connect.leaseName" . | quote }}
- name: KWDB_CONNECT_LEASE_DURATION_SECONDS
  value: {{ .Values.operator.leaseDurationSeconds | quote }}
- name: KWDB_CONNECT_RESYNC_SECONDS
  value: {{ .Values.operator.resyncSeconds | quote }}
- name: KWDB_CONNECT_MAX_TASKS_PER_CONNECTOR
  value: {{ .Values.operator.maxTasksPerConnector | quote }}
- name: KWDB_CONNECT_WORKER_IMAGE
  value: {{ include "kwdb-connect.workerImage" . | quote }}
- name: KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY
  value: {{ include "kwdb-connect.workerImagePullPolicy" . | quote }}
- name: KWDB_CONNECT_WORKER_HOST_NETWORK
  value: {{ .Values.hostNetwork | quote }}
- name: KWDB_CONNECT_WORKER_HTTP_HOST
  value: {{ .Values.worker.listen.host | quote }}
- name: KWDB_CONNECT_WORKER_PORT
  value: {{ .Values.worker.listen.port | quote }}
- name: KWDB_CONNECT_WORKER_METRICS_PORT_NAME
  value: {{ .Values.monitoring.metricsPortName | quote }}
- name: KWDB_CONNECT_WORKER_SCRAPE_ANNOTATIONS
  value: {{ .Values.monitoring.scrapeAnnotations.enabled | quote }}
{{- with .Values.worker.serviceAccountName }}
- name: KWDB_CONNECT_WORKER_SERVICE_ACCOUNT
  value: {{ . | quote }}
{{- end }}
{{- range $i, $var := .Values.configApi.extraEnv }}
{{- if and (hasKey $var "value") (regexMatch "(?i)password|secret|token" $var.name) }}
{{- fail (printf "configApi.extraEnv[%d] (%s): a password, secret or token never goes into values; use valueFrom.secretKeyRef to read it from a Secret" $i $var.name) }}
{{- end }}
{{- end }}
{{- with .Values.configApi.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
