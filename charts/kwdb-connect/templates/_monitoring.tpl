{{/*
Monitoring helpers. Pod templates of config-api and the workers include
"kwdb-connect.monitoring.podAnnotations" (with the port number); the operator names the worker
Pods' metrics port .Values.monitoring.metricsPortName (config-api's
KWDB_CONNECT_WORKER_METRICS_PORT_NAME), which the PodMonitor selects; the selectors below match
the component labels they carry.
*/}}

{{- define "kwdb-connect.monitoring.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector of one component's objects: (dict "root" $ "component" "config-api"|"worker") */}}
{{- define "kwdb-connect.monitoring.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* prometheus.io/* annotations for a Pod template: (dict "root" $ "port" 8083) */}}
{{- define "kwdb-connect.monitoring.podAnnotations" -}}
{{- if .root.Values.monitoring.scrapeAnnotations.enabled }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}
