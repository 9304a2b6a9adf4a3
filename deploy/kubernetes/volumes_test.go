package kubernetes_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sethvargo/go-envconfig"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/hawatch/hawatch/config"
)

// volumeFile is a file that a ConfigMap, Secret or projected volume puts
// into a pod.
type volumeFile struct {
	path    string // relative to the mount path
	content string
	// missing is set when the ConfigMap, Secret or key named is not in
	// the manifests; source then says which.
	missing bool
	source  string
}

// projectedFiles returns the files of a ConfigMap, Secret or projected
// volume; other volumes, and the other sources of a projected volume, have
// none that come from the manifests.
func projectedFiles(m *manifests, v corev1.Volume) []volumeFile {
	var files []volumeFile
	addConfigMap := func(name string, items []corev1.KeyToPath) {
		cm := m.configMap(name)
		if cm == nil {
			files = append(files, volumeFile{missing: true, source: "ConfigMap " + name + " not found"})
			return
		}
		files = append(files, keyFiles("ConfigMap "+name, cm.Data, items)...)
	}
	addSecret := func(name string, items []corev1.KeyToPath) {
		s := m.secret(name)
		if s == nil {
			files = append(files, volumeFile{missing: true, source: "Secret " + name + " not found"})
			return
		}
		data := map[string]string{}
		for k := range s.Data {
			data[k], _ = secretValue(s, k)
		}
		for k, val := range s.StringData {
			data[k] = val
		}
		files = append(files, keyFiles("Secret "+name, data, items)...)
	}
	switch {
	case v.ConfigMap != nil:
		addConfigMap(v.ConfigMap.Name, v.ConfigMap.Items)
	case v.Secret != nil:
		addSecret(v.Secret.SecretName, v.Secret.Items)
	case v.Projected != nil:
		for _, src := range v.Projected.Sources {
			if src.ConfigMap != nil {
				addConfigMap(src.ConfigMap.Name, src.ConfigMap.Items)
			}
			if src.Secret != nil {
				addSecret(src.Secret.Name, src.Secret.Items)
			}
		}
	}
	return files
}

// keyFiles returns the files of the keys of a ConfigMap or Secret: the
// items listed, or every key when none are.
func keyFiles(source string, data map[string]string, items []corev1.KeyToPath) []volumeFile {
	if len(items) == 0 {
		var files []volumeFile
		for _, k := range keys(data) {
			files = append(files, volumeFile{path: k, content: data[k], source: source})
		}
		return files
	}
	files := make([]volumeFile, 0, len(items))
	for _, it := range items {
		content, ok := data[it.Key]
		files = append(files, volumeFile{
			path: it.Path, content: content, missing: !ok,
			source: fmt.Sprintf("%s: key %s not found", source, it.Key),
		})
	}
	return files
}

// podFiles returns the files the container sees from its ConfigMap, Secret
// and projected volumes, by absolute path.
func podFiles(m *manifests, sts *appsv1.StatefulSet, c corev1.Container) map[string]string {
	volumes := map[string]corev1.Volume{}
	for _, v := range sts.Spec.Template.Spec.Volumes {
		volumes[v.Name] = v
	}
	files := map[string]string{}
	for _, vm := range c.VolumeMounts {
		for _, f := range projectedFiles(m, volumes[vm.Name]) {
			switch {
			case f.missing:
			case vm.SubPath == "":
				files[path.Join(vm.MountPath, f.path)] = f.content
			case vm.SubPath == f.path:
				files[vm.MountPath] = f.content
			}
		}
	}
	return files
}

// TestConfigMapIsAValidHawatchConfig loads the configuration every shard
// would load: the container's environment, with the files of its mounted
// ConfigMap and Secret written below a temporary directory that stands in
// for the pod's root.
func TestConfigMapIsAValidHawatchConfig(t *testing.T) {
	m := mustLoad(t)
	sts := only(t, "StatefulSet", m.statefulSets)
	c := only(t, "container", sts.Spec.Template.Spec.Containers)
	root := t.TempDir()

	var mounts []string
	for _, vm := range c.VolumeMounts {
		mounts = append(mounts, vm.MountPath+"/", filepath.Join(root, vm.MountPath)+"/")
		if err := os.MkdirAll(filepath.Join(root, vm.MountPath), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The config refers to the secrets by their path in the pod.
	toRoot := strings.NewReplacer(mounts...)
	files := podFiles(m, sts, c)
	for p, content := range files {
		local := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(local, []byte(toRoot.Replace(content)), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	creds := m.secret("hawatch-credentials")
	if creds == nil {
		t.Fatal("Secret hawatch-credentials not found")
	}
	apiKey, _ := secretValue(creds, "panos-api-key")
	replicas := int(*sts.Spec.Replicas)
	for shard := range replicas {
		env := map[string]string{}
		for _, e := range c.Env {
			switch {
			case e.ValueFrom == nil:
				env[e.Name] = toRoot.Replace(e.Value)
			case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == podIndexField:
				env[e.Name] = strconv.Itoa(shard)
			default:
				t.Fatalf("env %s: no stand-in for %+v", e.Name, e.ValueFrom)
			}
		}
		cfg, err := config.Load(envconfig.MapLookuper(env))
		if err != nil {
			t.Fatalf("shard %d: the ConfigMap's configuration does not load:\n%v", shard, err)
		}
		if cfg.Shards != replicas || cfg.ShardIndex != shard {
			t.Errorf("shard %d: loaded shard %d of %d, want %d of %d", shard, cfg.ShardIndex, cfg.Shards, shard, replicas)
		}
		if len(cfg.Pairs) < 2 {
			t.Errorf("shard %d: %d pairs, want the sample's two", shard, len(cfg.Pairs))
		}
		for _, p := range cfg.Pairs {
			if p.PANOS.APIKey.Reveal() != apiKey {
				t.Errorf("pair %s: API key is not the mounted Secret's panos-api-key", p.Name)
			}
			if p.AWS == nil || p.AWS.Region == "" {
				t.Errorf("pair %s: AWS monitoring without a region", p.Name)
			}
		}
	}
}
