// runc-user: the uid runc (libcontainer/user, as containerd's WithUser uses it) runs an image's
// USER as. Reads lines "<user spec>\t<base64 of /etc/passwd, or - for none>" on stdin; writes the
// uid, or "ERR" when the runtime would refuse to start the container.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/opencontainers/runc/libcontainer/user"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		parts := strings.SplitN(in.Text(), "\t", 2)
		var passwd io.Reader
		if parts[1] != "-" {
			raw, err := base64.StdEncoding.DecodeString(parts[1])
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			passwd = bytes.NewReader(raw)
		}
		u, err := user.GetExecUser(parts[0], nil, passwd, nil)
		if err != nil {
			fmt.Fprintln(out, "ERR")
			continue
		}
		fmt.Fprintln(out, u.Uid)
	}
}
