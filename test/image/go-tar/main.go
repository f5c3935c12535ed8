// go-tar: the entries of a tar stream as Go's archive/tar reads them (what containerd and
// Docker apply when they unpack a layer). Reads archives separated by the 8 bytes "\x00BOSUN\x00\x00"
// on stdin; for each, writes one JSON line: the entries, or {"error": …}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"archive/tar"
)

type entry struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Size     int64  `json:"size"`
	Linkname string `json:"linkname"`
	Mode     int64  `json:"mode"`
	Body     string `json:"body"`
}

func read(data []byte) interface{} {
	r := tar.NewReader(bytes.NewReader(data))
	out := []entry{}
	for {
		h, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return map[string]string{"error": err.Error()}
		}
		body, err := io.ReadAll(r)
		if err != nil {
			return map[string]string{"error": err.Error()}
		}
		out = append(out, entry{h.Name, string([]byte{h.Typeflag}), h.Size, h.Linkname, h.Mode, string(body)})
	}
}

func main() {
	in, _ := io.ReadAll(os.Stdin)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, a := range bytes.Split(in, []byte("\x00BOSUN\x00\x00")) {
		j, _ := json.Marshal(read(a))
		w.Write(j)
		w.WriteString("\n")
	}
}
