package helm_test

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
)

// checkConfigLoads loads the configuration the way each shard's pod would:
// the rendered ConfigMap's file and a stand-in file for every Secret key,
// at their paths in the pod below a temporary root, and the container's
// environment with the pod index of that shard. Every pair must load, be
// owned by exactly one shard, and read its API key from a mounted Secret.
func checkConfigLoads(t *testing.T, r *rendered, sts *appsv1.StatefulSet, want expectation) {
	t.Helper()
	c := sts.Spec.Template.Spec.Containers[0]
	root := t.TempDir()
	toRoot := strings.NewReplacer("/etc/hawatch/", root+"/etc/hawatch/", "/var/lib/hawatch", root+"/var/lib/hawatch")

	mounts := map[string]string{}
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = vm.MountPath
		if err := os.MkdirAll(filepath.Join(root, vm.MountPath), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cm := only(t, "ConfigMap", r.configMaps)
	secretFiles := map[string]bool{}
	for _, v := range sts.Spec.Template.Spec.Volumes {
		if v.Projected == nil {
			continue
		}
		for _, src := range v.Projected.Sources {
			switch {
			case src.ConfigMap != nil:
				if src.ConfigMap.Name != cm.Name {
					t.Errorf("volume %s: ConfigMap %s is not the chart's %s", v.Name, src.ConfigMap.Name, cm.Name)
				}
				for _, item := range src.ConfigMap.Items {
					writeFile(t, root, path.Join(mounts[v.Name], item.Path), toRoot.Replace(cm.Data[item.Key]))
				}
			case src.Secret != nil:
				for _, item := range src.Secret.Items {
					p := path.Join(mounts[v.Name], item.Path)
					writeFile(t, root, p, "secret "+src.Secret.Name+"/"+item.Key)
					secretFiles["secret "+src.Secret.Name+"/"+item.Key] = true
				}
			}
		}
	}

	owner := map[string]int{}
	for shard := range want.shards {
		env := map[string]string{}
		for _, e := range c.Env {
			switch {
			case e.ValueFrom == nil:
				env[e.Name] = toRoot.Replace(e.Value)
			case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == podIndexPath:
				env[e.Name] = strconv.Itoa(shard)
			default:
				t.Fatalf("env %s: no stand-in for %+v", e.Name, e.ValueFrom)
			}
		}
		cfg, err := config.Load(envconfig.MapLookuper(env))
		if err != nil {
			t.Fatalf("shard %d: the rendered configuration does not load:\n%v", shard, err)
		}
		if cfg.Shards != want.shards || cfg.ShardIndex != shard {
			t.Errorf("shard %d: loaded as shard %d of %d", shard, cfg.ShardIndex, cfg.Shards)
		}
		var names []string
		for _, p := range cfg.Pairs {
			names = append(names, p.Name)
			key := p.PANOS.APIKey.Reveal()
			if p.PANOS.Password.Reveal() != "" {
				key = p.PANOS.Password.Reveal()
			}
			if !secretFiles[key] {
				t.Errorf("pair %s: credential %q is not read from a mounted Secret", p.Name, key)
			}
		}
		if !slices.Equal(names, want.pairs) {
			t.Errorf("shard %d: pairs %v, want %v", shard, names, want.pairs)
		}
		for _, p := range cfg.OwnedPairs() {
			if prev, dup := owner[p.Name]; dup {
				t.Errorf("pair %s owned by shards %d and %d", p.Name, prev, shard)
			}
			owner[p.Name] = shard
		}
	}
	if len(owner) != len(want.pairs) {
		t.Errorf("shards own %v, want every pair of %v once", owner, want.pairs)
	}
}

func writeFile(t *testing.T, root, p, content string) {
	t.Helper()
	local := filepath.Join(root, p)
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
