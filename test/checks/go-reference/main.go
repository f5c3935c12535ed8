// go-reference: image references as Docker, containerd and the kubelet normalise them
// (github.com/docker/distribution/reference.ParseNormalizedNamed). One reference per stdin
// line; one JSON line each: {"domain", "path", "tag", "digest"} or {"error"}.
package main

import (
	"bufio"
	_ "crypto/sha256" // registers the digest algorithm references carry
	"encoding/json"
	"os"

	"github.com/docker/distribution/reference"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		named, err := reference.ParseNormalizedNamed(in.Text())
		if err != nil {
			enc.Encode(map[string]string{"error": err.Error()})
			continue
		}
		r := map[string]string{"domain": reference.Domain(named), "path": reference.Path(named)}
		if t, ok := named.(reference.Tagged); ok {
			r["tag"] = t.Tag()
		}
		if d, ok := named.(reference.Digested); ok {
			r["digest"] = d.Digest().String()
		}
		enc.Encode(r)
	}
}
