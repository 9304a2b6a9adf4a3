package kubernetes_test

// Mirrors of the workload types of k8s.io/api; see k8s_types_test.go.

type statefulSet struct {
	typeMeta `json:",inline"`
	Meta     objectMeta      `json:"metadata"`
	Spec     statefulSetSpec `json:"spec"`
}

type statefulSetSpec struct {
	Replicas             *int32                  `json:"replicas,omitempty"`
	Selector             *labelSelector          `json:"selector"`
	Template             podTemplateSpec         `json:"template"`
	VolumeClaimTemplates []persistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
	ServiceName          string                  `json:"serviceName,omitempty"`
	PodManagementPolicy  string                  `json:"podManagementPolicy,omitempty"`
	UpdateStrategy       struct {
		Type string `json:"type,omitempty"`
	} `json:"updateStrategy"`
}

type persistentVolumeClaim struct {
	Meta objectMeta `json:"metadata"`
	Spec struct {
		AccessModes      []string `json:"accessModes,omitempty"`
		StorageClassName *string  `json:"storageClassName,omitempty"`
		Resources        struct {
			Requests map[string]string `json:"requests,omitempty"`
		} `json:"resources"`
	} `json:"spec"`
}

type podTemplateSpec struct {
	Meta objectMeta `json:"metadata"`
	Spec podSpec    `json:"spec"`
}

type podSpec struct {
	ServiceAccountName            string                     `json:"serviceAccountName,omitempty"`
	AutomountServiceAccountToken  *bool                      `json:"automountServiceAccountToken,omitempty"`
	TerminationGracePeriodSeconds *int64                     `json:"terminationGracePeriodSeconds,omitempty"`
	SecurityContext               *podSecurityContext        `json:"securityContext,omitempty"`
	TopologySpreadConstraints     []topologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
	Containers                    []container                `json:"containers"`
	Volumes                       []volume                   `json:"volumes,omitempty"`
}

type podSecurityContext struct {
	RunAsNonRoot   *bool           `json:"runAsNonRoot,omitempty"`
	RunAsUser      *int64          `json:"runAsUser,omitempty"`
	RunAsGroup     *int64          `json:"runAsGroup,omitempty"`
	FSGroup        *int64          `json:"fsGroup,omitempty"`
	SeccompProfile *seccompProfile `json:"seccompProfile,omitempty"`
}

type seccompProfile struct {
	Type string `json:"type"`
}

type topologySpreadConstraint struct {
	MaxSkew           int32          `json:"maxSkew"`
	TopologyKey       string         `json:"topologyKey"`
	WhenUnsatisfiable string         `json:"whenUnsatisfiable"`
	LabelSelector     *labelSelector `json:"labelSelector,omitempty"`
}

type container struct {
	Name            string          `json:"name"`
	Image           string          `json:"image,omitempty"`
	ImagePullPolicy string          `json:"imagePullPolicy,omitempty"`
	Args            []string        `json:"args,omitempty"`
	Env             []envVar        `json:"env,omitempty"`
	Ports           []containerPort `json:"ports,omitempty"`
	LivenessProbe   *probe          `json:"livenessProbe,omitempty"`
	ReadinessProbe  *probe          `json:"readinessProbe,omitempty"`
	Resources       struct {
		Requests map[string]string `json:"requests,omitempty"`
		Limits   map[string]string `json:"limits,omitempty"`
	} `json:"resources"`
	SecurityContext *securityContext `json:"securityContext,omitempty"`
	VolumeMounts    []volumeMount    `json:"volumeMounts,omitempty"`
}

type envVar struct {
	Name      string `json:"name"`
	Value     string `json:"value,omitempty"`
	ValueFrom *struct {
		FieldRef *struct {
			APIVersion string `json:"apiVersion,omitempty"`
			FieldPath  string `json:"fieldPath"`
		} `json:"fieldRef,omitempty"`
	} `json:"valueFrom,omitempty"`
}

type containerPort struct {
	Name          string `json:"name,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
}

type probe struct {
	HTTPGet *struct {
		Path string      `json:"path,omitempty"`
		Port intOrString `json:"port"`
	} `json:"httpGet,omitempty"`
	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`
	TimeoutSeconds      int32 `json:"timeoutSeconds,omitempty"`
	PeriodSeconds       int32 `json:"periodSeconds,omitempty"`
	FailureThreshold    int32 `json:"failureThreshold,omitempty"`
}

type securityContext struct {
	Capabilities *struct {
		Add  []string `json:"add,omitempty"`
		Drop []string `json:"drop,omitempty"`
	} `json:"capabilities,omitempty"`
	Privileged               *bool           `json:"privileged,omitempty"`
	RunAsUser                *int64          `json:"runAsUser,omitempty"`
	RunAsGroup               *int64          `json:"runAsGroup,omitempty"`
	RunAsNonRoot             *bool           `json:"runAsNonRoot,omitempty"`
	ReadOnlyRootFilesystem   *bool           `json:"readOnlyRootFilesystem,omitempty"`
	AllowPrivilegeEscalation *bool           `json:"allowPrivilegeEscalation,omitempty"`
	SeccompProfile           *seccompProfile `json:"seccompProfile,omitempty"`
}

type volumeMount struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	MountPath string `json:"mountPath"`
	SubPath   string `json:"subPath,omitempty"`
}

type volume struct {
	Name      string                 `json:"name"`
	ConfigMap *configMapVolumeSource `json:"configMap,omitempty"`
	Secret    *secretVolumeSource    `json:"secret,omitempty"`
	Projected *struct {
		Sources     []volumeProjection `json:"sources"`
		DefaultMode *int32             `json:"defaultMode,omitempty"`
	} `json:"projected,omitempty"`
	EmptyDir *struct {
		Medium    string  `json:"medium,omitempty"`
		SizeLimit *string `json:"sizeLimit,omitempty"`
	} `json:"emptyDir,omitempty"`
}

type configMapVolumeSource struct {
	Name        string      `json:"name,omitempty"`
	Items       []keyToPath `json:"items,omitempty"`
	DefaultMode *int32      `json:"defaultMode,omitempty"`
	Optional    *bool       `json:"optional,omitempty"`
}

type secretVolumeSource struct {
	SecretName  string      `json:"secretName,omitempty"`
	Items       []keyToPath `json:"items,omitempty"`
	DefaultMode *int32      `json:"defaultMode,omitempty"`
	Optional    *bool       `json:"optional,omitempty"`
}

// volumeProjection's configMap and secret sources have the same shape.
type volumeProjection struct {
	ConfigMap *keyProjection `json:"configMap,omitempty"`
	Secret    *keyProjection `json:"secret,omitempty"`
}

type keyProjection struct {
	Name     string      `json:"name,omitempty"`
	Items    []keyToPath `json:"items,omitempty"`
	Optional *bool       `json:"optional,omitempty"`
}

type keyToPath struct {
	Key  string `json:"key"`
	Path string `json:"path"`
	Mode *int32 `json:"mode,omitempty"`
}
