// go-semver: Go module versions as the go command orders them (golang.org/x/mod/semver).
// Reads stdin lines: "a b" prints semver.Compare(a, b) (-1, 0 or 1); a lone "a" prints
// whether semver.IsValid(a) (Compare calls every invalid version equal and below all valid ones,
// so the caller pairs only valid ones).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		f := strings.Fields(in.Text())
		switch len(f) {
		case 1:
			fmt.Fprintln(out, semver.IsValid(f[0]))
		case 2:
			fmt.Fprintln(out, semver.Compare(f[0], f[1]))
		default:
			fmt.Fprintf(os.Stderr, "bad line %q\n", in.Text())
			os.Exit(2)
		}
	}
}
