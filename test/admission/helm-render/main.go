// helm-render renders a chart directory the way `helm template` does, for the features bosun's
// chart uses, so a test can render deploy/helm/bosun-admission where no helm binary exists. It is
// built from Debian's Go packages (sprig, sigs.k8s.io/yaml: the libraries Helm itself uses) in
// GOPATH mode, offline.
//
//	helm-render [--name RELEASE] [--namespace NS] [--kube-version v1.31.0] [--api-versions V]...
//	            [-f values.yaml]... [--set a.b=v[,c=w]]... CHART_DIR
//
// Supported: Chart.yaml metadata (and its kubeVersion constraint), values.yaml coalesced with
// values files and --set (typed like Helm's: ints, true/false, null deletes), .Release, .Chart,
// .Values, .Capabilities, .Template; sprig's TxtFuncMap without env/expandenv plus include, tpl,
// required, toYaml, fromYaml, fromYamlArray, toJson, fromJson, lookup (always empty: no cluster);
// templates/**/_* are partials only, NOTES.txt is skipped; "<no value>" becomes "" as in Helm;
// output is one YAML stream, each document headed "# Source:" and ordered by Helm's install order.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/semver/v3"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type Chart struct {
	APIVersion  string   `json:"apiVersion"`
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	AppVersion  string   `json:"appVersion"`
	Description string   `json:"description"`
	Type        string   `json:"type"`
	KubeVersion string   `json:"kubeVersion"`
	Home        string   `json:"home"`
	Keywords    []string `json:"keywords"`
	Icon        string   `json:"icon"`
}

type KubeVersion struct{ Version, Major, Minor string }

func (k KubeVersion) String() string     { return k.Version }
func (k KubeVersion) GitVersion() string { return k.Version }

type VersionSet []string

func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
}

// Helm's install order (pkg/releaseutil/kind_sorter.go); other kinds follow, by kind name.
var installOrder = strings.Fields("Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass PersistentVolume PersistentVolumeClaim CustomResourceDefinition ClusterRole ClusterRoleList ClusterRoleBinding ClusterRoleBindingList Role RoleList RoleBinding RoleBindingList Service DaemonSet Pod ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler StatefulSet Job CronJob IngressClass Ingress APIService")

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "helm-render: "+format+"\n", a...)
	os.Exit(1)
}

// coalesce merges src over dst as Helm does: maps deeply, a null in src deletes the key.
func coalesce(dst, src map[string]interface{}) map[string]interface{} {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
		} else if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				dst[k] = coalesce(dm, sm)
				continue
			}
			dst[k] = v
		} else {
			dst[k] = v
		}
	}
	return dst
}

// typed converts a --set value the way Helm's strvals does.
func typed(s string) interface{} {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (s == "0" || !strings.HasPrefix(s, "0")) {
		return n
	}
	return s
}

func parseSet(expr string, into map[string]interface{}) {
	for _, pair := range regexp.MustCompile(`(?:[^,\\]|\\.)+`).FindAllString(expr, -1) {
		eq := strings.Index(pair, "=")
		if eq <= 0 || strings.ContainsAny(pair[:eq], "[]") {
			fail("--set %q: want key.path=value (list indexes are not supported)", pair)
		}
		keys := strings.Split(pair[:eq], ".")
		node := into
		for _, k := range keys[:len(keys)-1] {
			next, ok := node[k].(map[string]interface{})
			if !ok {
				next = map[string]interface{}{}
				node[k] = next
			}
			node = next
		}
		node[keys[len(keys)-1]] = typed(strings.ReplaceAll(pair[eq+1:], `\,`, ","))
	}
}

func readYAML(path string, into interface{}) {
	data, err := os.ReadFile(path)
	if err == nil {
		err = yaml.Unmarshal(data, into)
	}
	if err != nil {
		fail("%s: %v", path, err)
	}
}

func main() {
	release, namespace, kube := "release-name", "default", "v1.31.0"
	apis := VersionSet(strings.Fields("v1 apps/v1 batch/v1 policy/v1 autoscaling/v2 networking.k8s.io/v1 rbac.authorization.k8s.io/v1 admissionregistration.k8s.io/v1 apiextensions.k8s.io/v1 storage.k8s.io/v1 coordination.k8s.io/v1"))
	user := map[string]interface{}{}
	chartDir := ""
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		flag, val := args[i], ""
		if strings.HasPrefix(flag, "-") {
			if i+1 >= len(args) {
				fail("%s needs a value", flag)
			}
			i++
			val = args[i]
		}
		switch flag {
		case "--name":
			release = val
		case "--namespace", "-n":
			namespace = val
		case "--kube-version":
			kube = val
		case "--api-versions", "-a":
			apis = append(apis, val)
		case "--values", "-f":
			file := map[string]interface{}{}
			readYAML(val, &file)
			user = coalesce(user, file)
		case "--set":
			parseSet(val, user)
		default:
			if strings.HasPrefix(flag, "-") || chartDir != "" {
				fail("unexpected argument %q", flag)
			}
			chartDir = flag
		}
	}
	if chartDir == "" {
		fail("usage: helm-render [--name R] [--namespace NS] [-f values.yaml] [--set k=v] CHART_DIR")
	}
	var chart Chart
	readYAML(filepath.Join(chartDir, "Chart.yaml"), &chart)
	kv, err := semver.NewVersion(kube)
	if err != nil {
		fail("--kube-version %q: %v", kube, err)
	}
	if chart.KubeVersion != "" {
		c, err := semver.NewConstraint(chart.KubeVersion)
		if err != nil || !c.Check(kv) {
			fail("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", chart.KubeVersion, kube)
		}
	}
	values := map[string]interface{}{}
	if _, err := os.Stat(filepath.Join(chartDir, "values.yaml")); err == nil {
		readYAML(filepath.Join(chartDir, "values.yaml"), &values)
	}
	values = coalesce(values, user)
	top := map[string]interface{}{
		"Values":       values,
		"Chart":        chart,
		"Release":      map[string]interface{}{"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Capabilities": Capabilities{KubeVersion{Version: "v" + kv.String(), Major: strconv.FormatUint(kv.Major(), 10), Minor: strconv.FormatUint(kv.Minor(), 10)}, apis},
	}

	t := template.New("gotpl").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	depth := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if depth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		c, err := t.Clone()
		if err == nil {
			c, err = c.New("tpl").Parse(text)
		}
		var b strings.Builder
		if err == nil {
			err = c.Execute(&b, data)
		}
		return strings.ReplaceAll(b.String(), "<no value>", ""), err
	}
	funcs["required"] = func(msg string, v interface{}) (interface{}, error) {
		if s, ok := v.(string); v == nil || (ok && s == "") {
			return v, errors.New(msg)
		}
		return v, nil
	}
	funcs["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["fromYamlArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	funcs["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	t.Funcs(funcs)

	var names []string
	root := filepath.Join(chartDir, "templates")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		name := chart.Name + "/templates/" + filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err == nil {
			_, err = t.New(name).Parse(string(data))
		}
		names = append(names, name)
		return err
	})
	if err != nil {
		fail("%v", err)
	}
	sort.Strings(names)
	type doc struct{ source, kind, text string }
	var docs []doc
	sep := regexp.MustCompile(`(?:^|\s*\n)---\s*`)
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasPrefix(base, "_") || base == "NOTES.txt" {
			continue
		}
		top["Template"] = map[string]interface{}{"Name": name, "BasePath": chart.Name + "/templates"}
		var b strings.Builder
		if err := t.ExecuteTemplate(&b, name, top); err != nil {
			fail("%v", err)
		}
		for _, text := range sep.Split(strings.ReplaceAll(b.String(), "<no value>", ""), -1) {
			if text = strings.TrimSpace(text); text == "" {
				continue
			}
			var head struct{ Kind string }
			if err := yaml.Unmarshal([]byte(text), &head); err != nil {
				fail("%s: YAML parse error: %v", name, err)
			}
			docs = append(docs, doc{name, head.Kind, text})
		}
	}
	rank := func(kind string) int {
		for i, k := range installOrder {
			if k == kind {
				return i
			}
		}
		return len(installOrder)
	}
	sort.SliceStable(docs, func(i, j int) bool {
		ri, rj := rank(docs[i].kind), rank(docs[j].kind)
		return ri < rj || (ri == rj && ri == len(installOrder) && docs[i].kind < docs[j].kind)
	})
	for _, d := range docs {
		fmt.Printf("---\n# Source: %s\n%s\n", d.source, d.text)
	}
}
