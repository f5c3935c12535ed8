// go-regexp: RE2 as Kubernetes' CEL runs it (Go's regexp: matches(), find()). Reads JSON lines
// {"p": pattern, "s": [texts]}; writes one JSON line each: {"error": …} or {"find": [first match
// of each text, or null when none]}.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
)

type query struct {
	P string   `json:"p"`
	S []string `json:"s"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			enc.Encode(map[string]string{"error": "bad query: " + err.Error()})
			continue
		}
		re, err := regexp.Compile(q.P)
		if err != nil {
			enc.Encode(map[string]string{"error": err.Error()})
			continue
		}
		found := make([]*string, len(q.S))
		for i, s := range q.S {
			if loc := re.FindStringIndex(s); loc != nil {
				m := s[loc[0]:loc[1]]
				found[i] = &m
			}
		}
		enc.Encode(map[string]interface{}{"find": found})
	}
}
