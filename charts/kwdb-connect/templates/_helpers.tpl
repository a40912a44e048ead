{{/* Names, labels and image references shared by every template. */}}

{{- define "kwdb-connect.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or <release> when it already contains the chart name; at most 63 characters. */}}
{{- define "kwdb-connect.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "kwdb-connect.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "kwdb-connect.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kwdb-connect.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kwdb-connect.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: config-api
{{- end -}}

{{- define "kwdb-connect.labels" -}}
helm.sh/chart: {{ include "kwdb-connect.chart" . }}
{{ include "kwdb-connect.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: kwdb-connect
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kwdb-connect.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "kwdb-connect.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "kwdb-connect.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "kwdb-connect.workerImage" -}}
{{- $repository := default .Values.image.repository .Values.worker.image.repository -}}
{{- $tag := default (default .Chart.AppVersion .Values.image.tag) .Values.worker.image.tag -}}
{{- printf "%s:%s" $repository $tag -}}
{{- end -}}

{{- define "kwdb-connect.workerImagePullPolicy" -}}
{{- default .Values.image.pullPolicy .Values.worker.image.pullPolicy -}}
{{- end -}}

{{/* The operator's leader Lease: a DNS label (at most 63 characters). */}}
{{- define "kwdb-connect.leaseName" -}}
{{- printf "%s-operator" (include "kwdb-connect.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Where the KwdbConnectors and their worker Deployments live. */}}
{{- define "kwdb-connect.connectorNamespace" -}}
{{- default .Release.Namespace .Values.operator.namespace -}}
{{- end -}}
