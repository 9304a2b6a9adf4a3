package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/prometheus/common/version"
	"github.com/sethvargo/go-envconfig"

	"github.com/hawatch/hawatch/config"
)

// cmdFlags parses the arguments of one subcommand, so that every
// subcommand behaves alike. A subcommand lives in its own file as
//
//	func runX(args []string, stdout, stderr io.Writer) int {
//		c := newCmdFlags("x", "one line saying what x does", "")
//		output := c.String("output", "table", "output format") // a plain flag
//		c.mirror("log.level", "HAWATCH_LOG_LEVEL", "info", "LEVEL", "…") // a flag mirroring a variable
//		if code, done := c.parse(args, stdout, stderr); done {
//			return code
//		}
//		cfg, err := c.load() // the configuration, flags over the environment
//		…
//	}
//
// with one dispatch line in main.go. Then -h/--help prints the help on
// standard output and exits 0, --version prints the version, a bad flag
// or value exits 2 naming it, a mirrored flag given on the command line
// wins over its variable, and the help lists each flag's variable.
type cmdFlags struct {
	*flag.FlagSet
	name, summary, details string
	mirrors                []*mirror
	showVersion            bool
}

// mirror is a flag that stands for an environment variable.
type mirror struct {
	flag, env, def, arg string
	list, boolean       bool
	values              []string
}

func (m *mirror) String() string { return strings.Join(m.values, ",") }

func (m *mirror) Set(v string) error {
	if m.boolean {
		if _, err := strconv.ParseBool(v); err != nil {
			return errors.New("not a boolean (true or false)")
		}
	}
	if m.list {
		m.values = append(m.values, v)
	} else {
		m.values = []string{v}
	}
	return nil
}

// IsBoolFlag lets a boolean mirror be given without a value.
func (m *mirror) IsBoolFlag() bool { return m.boolean }

// newCmdFlags starts the flags of `hawatch name`; summary is its one-line
// description and details, if any, more paragraphs of help.
func newCmdFlags(name, summary, details string) *cmdFlags {
	c := &cmdFlags{FlagSet: flag.NewFlagSet("hawatch "+name, flag.ContinueOnError), name: name, summary: summary, details: details}
	c.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	return c
}

// mirror declares a flag standing for variable env; def is the default
// shown in the help and arg names the value there.
func (c *cmdFlags) mirror(name, env, def, arg, usage string) {
	c.add(&mirror{flag: name, env: env, def: def, arg: arg}, usage)
}

// mirrorList declares a repeatable flag; its values reach the variable
// joined by commas, as a list variable is written.
func (c *cmdFlags) mirrorList(name, env, def, arg, usage string) {
	c.add(&mirror{flag: name, env: env, def: def, arg: arg, list: true}, usage+" (repeatable)")
}

// mirrorBool declares a boolean flag: --name alone means true.
func (c *cmdFlags) mirrorBool(name, env, usage string) {
	c.add(&mirror{flag: name, env: env, def: "false", boolean: true}, usage)
}

func (c *cmdFlags) add(m *mirror, usage string) {
	c.mirrors = append(c.mirrors, m)
	c.Var(m, m.flag, usage)
}

// parse parses args. When done is true the command ends with code: after
// the help or the version (0) or a bad argument (2).
func (c *cmdFlags) parse(args []string, stdout, stderr io.Writer) (code int, done bool) {
	c.SetOutput(stderr)
	c.Usage = func() {} // errors get a short hint, --help the whole text
	err := c.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.printHelp(stdout)
		return 0, true
	case err != nil:
		fmt.Fprintf(stderr, "run 'hawatch %s --help' for the flags\n", c.name)
		return 2, true
	case c.NArg() > 0:
		fmt.Fprintf(stderr, "hawatch %s: unexpected argument %q\nrun 'hawatch %s --help' for the flags\n", c.name, c.Arg(0), c.name)
		return 2, true
	case c.showVersion:
		fmt.Fprintln(stdout, version.Print("hawatch"))
		return 0, true
	}
	return 0, false
}

// lookuper returns the environment with the mirrored flags given on the
// command line laid over it: flags win, the variables fill the rest.
func (c *cmdFlags) lookuper() envconfig.Lookuper {
	set := make(map[string]string)
	for _, m := range c.mirrors {
		if len(m.values) > 0 {
			set[m.env] = m.String()
		}
	}
	return envconfig.MultiLookuper(envconfig.MapLookuper(set), envconfig.OsLookuper())
}

// load reads the configuration through lookuper. A problem with a value
// that came from a flag is reported under the flag's name.
func (c *cmdFlags) load() (*config.Config, error) {
	cfg, err := config.Load(c.lookuper())
	if err != nil {
		c.renameFields(err)
	}
	return cfg, err
}

// renameFields names the flag instead of its variable in the problems of
// err whose value the command line gave.
func (c *cmdFlags) renameFields(err error) {
	var fe *config.FieldError
	if errors.As(err, &fe) && fe.File == "" {
		for _, m := range c.mirrors {
			if m.env == fe.Field && len(m.values) > 0 {
				fe.Field = "--" + m.flag
			}
		}
	}
	if list, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range list.Unwrap() {
			c.renameFields(e)
		}
	}
}

// printHelp writes the command's help: usage, description, then every
// flag with its variable and default.
func (c *cmdFlags) printHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: hawatch %s [flags]\n\n%s\n", c.name, c.summary)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.details))
	}
	fmt.Fprintln(w, "\nFlags:")
	mirrors := make(map[string]*mirror, len(c.mirrors))
	for _, m := range c.mirrors {
		mirrors[m.flag] = m
	}
	c.VisitAll(func(f *flag.Flag) {
		m := mirrors[f.Name]
		arg, _ := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		switch {
		case m != nil && m.boolean:
		case m != nil:
			head += "=" + m.arg
		case arg != "":
			head += "=" + strings.ToUpper(arg)
		}
		fmt.Fprintf(w, "%s\n      %s", head, f.Usage)
		def := f.DefValue
		if m != nil {
			def = m.def
			fmt.Fprintf(w, "\n      env %s", m.env)
		}
		if def != "" && def != "false" && def != "0" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintln(w, "  -h, --help\n      print this help and exit")
	fmt.Fprintln(w, "\nA flag given on the command line wins over its environment variable.")
}
