// k8s-yaml: YAML to JSON exactly as kubectl and the API server convert manifests
// (sigs.k8s.io/yaml, YAML 1.1 scalars through go-yaml v2). Reads documents separated by NUL
// bytes on stdin; writes one line per document: the JSON, or "ERR " and the error.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for _, doc := range bytes.Split(in, []byte{0}) {
		j, err := yaml.YAMLToJSON(doc)
		if err != nil {
			fmt.Fprintln(out, "ERR "+strings.ReplaceAll(err.Error(), "\n", " "))
			continue
		}
		fmt.Fprintln(out, string(j))
	}
}
