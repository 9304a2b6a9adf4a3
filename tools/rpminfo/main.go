// Command rpminfo prints the header of an rpm package as JSON: name,
// version, release, architecture, the files with their mode, owner and
// flags, and the install scripts. The packaging tests read it where the rpm
// tool is not installed (Debian machines).
//
//	go run ./rpminfo hawatch-1.2.3-1.x86_64.rpm
package main

import (
	"encoding/json"
	"fmt"
	"os"

	rpmutils "github.com/sassoftware/go-rpmutils"
)

// File is one file of the package.
type File struct {
	Name  string `json:"name"`
	Mode  string `json:"mode"` // permission bits, octal
	Dir   bool   `json:"dir,omitempty"`
	User  string `json:"user"`
	Group string `json:"group"`
	// Config and NoReplace are the %config and %config(noreplace) flags.
	Config    bool `json:"config,omitempty"`
	NoReplace bool `json:"noreplace,omitempty"`
}

// Info is the part of the header the tests check.
type Info struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Release    string `json:"release"`
	Arch       string `json:"arch"`
	Files      []File `json:"files"`
	PostIn     string `json:"postin"`
	PreUn      string `json:"preun"`
	PostUn     string `json:"postun"`
	Compressor string `json:"compressor"`
}

// RPM file flags (rpmfiles.h).
const (
	fileConfig    = 1 << 0
	fileNoReplace = 1 << 4
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rpminfo PACKAGE.rpm")
		os.Exit(2)
	}
	info, err := read(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "rpminfo:", err)
		os.Exit(1)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(info); err != nil {
		fmt.Fprintln(os.Stderr, "rpminfo:", err)
		os.Exit(1)
	}
}

func read(path string) (*Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	rpm, err := rpmutils.ReadRpm(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	h := rpm.Header
	str := func(tag int) string {
		s, _ := h.GetString(tag)
		return s
	}
	info := &Info{
		Name: str(rpmutils.NAME), Version: str(rpmutils.VERSION), Release: str(rpmutils.RELEASE),
		Arch: str(rpmutils.ARCH), PostIn: str(rpmutils.POSTIN), PreUn: str(rpmutils.PREUN),
		PostUn: str(rpmutils.POSTUN), Compressor: str(rpmutils.PAYLOADCOMPRESSOR),
	}
	files, err := h.GetFiles()
	if err != nil {
		return nil, fmt.Errorf("reading the files of %s: %w", path, err)
	}
	for _, fi := range files {
		info.Files = append(info.Files, File{
			Name: fi.Name(), Mode: fmt.Sprintf("%04o", fi.Mode()&0o7777), Dir: fi.Mode()&0o170000 == 0o040000,
			User: fi.UserName(), Group: fi.GroupName(),
			Config: fi.Flags()&fileConfig != 0, NoReplace: fi.Flags()&fileNoReplace != 0,
		})
	}
	return info, nil
}
