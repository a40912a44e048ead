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
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
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
  value: {{ ternary "" "$(POD_NAMESPACE)" .Values.rbac.clusterWide | quote }}
- name: KWDB_CONNECT_POD_NAME
  value: "$(POD_NAME)"
- name: KWDB_CONNECT_LEADER_ELECTION
  value: {{ .Values.configApi.leaderElection.enabled | quote }}
- name: KWDB_CONNECT_LEASE_NAME
  value: {{ printf "%s-operator" (include "kwdb-connect.fullname" .) | quote }}
- name: KWDB_CONNECT_WORKER_IMAGE
  value: {{ include "kwdb-connect.workerImage" . | quote }}
- name: KWDB_CONNECT_WORKER_IMAGE_PULL_POLICY
  value: {{ include "kwdb-connect.workerImagePullPolicy" . | quote }}
- name: KWDB_CONNECT_WORKER_LOG_LEVEL
  value: {{ .Values.worker.logLevel | quote }}
- name: KWDB_CONNECT_WORKER_HOST_NETWORK
  value: {{ .Values.hostNetwork | quote }}
- name: KWDB_CONNECT_WORKER_RESOURCES
  value: {{ toJson .Values.worker.resources | quote }}
- name: KWDB_CONNECT_WORKER_NODE_SELECTOR
  value: {{ toJson .Values.worker.nodeSelector | quote }}
- name: KWDB_CONNECT_WORKER_TOLERATIONS
  value: {{ toJson .Values.worker.tolerations | quote }}
{{- with .Values.imagePullSecrets }}
- name: KWDB_CONNECT_WORKER_IMAGE_PULL_SECRETS
  value: {{ toJson . | quote }}
{{- end }}
{{- with .Values.configApi.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
