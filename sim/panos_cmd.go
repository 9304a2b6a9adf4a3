package sim

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// cmdNode is one element of an op command.
type cmdNode struct {
	name     string
	text     string
	children []*cmdNode
}

// parseCmd parses the XML of an op command. Whitespace is ignored, so
// <all></all> and <all/> are the same command.
func parseCmd(s string) (*cmdNode, error) {
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []*cmdNode
	var root *cmdNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse op command: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &cmdNode{name: t.Name.Local}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			} else {
				return nil, errors.New("parse op command: more than one root element")
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				n.text += strings.TrimSpace(string(t))
			}
		}
	}
	if root == nil {
		return nil, errors.New("parse op command: no element")
	}
	return root, nil
}

// only returns the single child of n, or nil when n has none or several.
func (n *cmdNode) only() *cmdNode {
	if len(n.children) != 1 {
		return nil
	}
	return n.children[0]
}

// opCommand is a classified op command.
type opCommand struct {
	name string // Cmd* constant; CmdUnknown when not understood
	// arg is the interface name of `show interface <name>`.
	arg string
	// unexpected is PAN-OS's complaint about an unknown command, e.g.
	// " show -> bogus is unexpected".
	unexpected string
}

// classify maps an op command to what the simulator answers.
func classify(root *cmdNode) opCommand {
	if c, ok := classifyReadiness(root); ok {
		return c
	}
	if root.name != "show" {
		return opCommand{name: CmdUnknown, unexpected: fmt.Sprintf(" %s is unexpected", root.name)}
	}
	sub := root.only()
	if sub == nil {
		return opCommand{name: CmdUnknown, unexpected: " show is unexpected"}
	}
	leaf := sub.only()
	bad := func(n *cmdNode) opCommand {
		if n == nil {
			return opCommand{name: CmdUnknown, unexpected: fmt.Sprintf(" show %s is unexpected", sub.name)}
		}
		return opCommand{name: CmdUnknown, unexpected: fmt.Sprintf(" show %s -> %s is unexpected", sub.name, n.name)}
	}
	switch sub.name {
	case "high-availability":
		if leaf != nil && (leaf.name == "all" || leaf.name == "state") {
			return opCommand{name: CmdHA}
		}
		return bad(leaf)
	case "interface":
		if len(sub.children) == 0 && sub.text != "" {
			return opCommand{name: CmdInterfaces, arg: sub.text}
		}
		return bad(leaf)
	case "session":
		if leaf != nil && leaf.name == "info" {
			return opCommand{name: CmdSessions}
		}
		return bad(leaf)
	case "counter":
		if leaf != nil && leaf.name == "interface" && leaf.text == "all" {
			return opCommand{name: CmdCounters}
		}
		return bad(leaf)
	case "system":
		if leaf != nil && leaf.name == "info" {
			return opCommand{name: CmdSystem}
		}
		return bad(leaf)
	case "plugins":
		if leaf != nil && leaf.name == "packages" {
			return opCommand{name: CmdPlugins}
		}
		return bad(leaf)
	}
	return opCommand{name: CmdUnknown, unexpected: fmt.Sprintf(" show -> %s is unexpected", sub.name)}
}
