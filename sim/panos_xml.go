package sim

import (
	"strconv"
	"strings"
)

// textEscaper escapes character data. Unlike xml.EscapeText it keeps
// newlines literal, as PAN-OS writes them.
var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// xmlBuf builds a reply element by element, so that the output has the
// exact shape PAN-OS sends (empty elements as <name/>, fixed order).
type xmlBuf struct {
	strings.Builder
}

func (b *xmlBuf) open(name string) {
	b.WriteString("<" + name + ">")
}

func (b *xmlBuf) close(name string) {
	b.WriteString("</" + name + ">")
}

// leaf writes <name>value</name>, or <name/> when value is empty.
func (b *xmlBuf) leaf(name, value string) {
	if value == "" {
		b.WriteString("<" + name + "/>")
		return
	}
	b.open(name)
	b.WriteString(textEscaper.Replace(value))
	b.close(name)
}

func (b *xmlBuf) leafInt(name string, v int64) { b.leaf(name, strconv.FormatInt(v, 10)) }

func (b *xmlBuf) leafUint(name string, v uint64) { b.leaf(name, strconv.FormatUint(v, 10)) }

// leaves writes name/value pairs in order.
func (b *xmlBuf) leaves(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		b.leaf(kv[i], kv[i+1])
	}
}

func upDown(v bool) string {
	if v {
		return "up"
	}
	return "down"
}

func matchOf(v bool) string {
	if v {
		return "Match"
	}
	return "Mismatch"
}

// success wraps a result body in a success response.
func success(result string) string {
	return `<response status="success"><result>` + result + "</result></response>"
}

// Bodies of the PAN-OS error replies, byte for byte as devices send them.
const (
	// forbiddenBody answers a bad key or bad credentials (HTTP 403).
	forbiddenBody = `<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>`
	// htmlBody is a proxy's error page.
	htmlBody = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)

// keygenBody answers a successful keygen.
func keygenBody(key string) string {
	var b xmlBuf
	b.WriteString(`<response status = 'success'><result>`)
	b.leaf("key", key)
	b.WriteString("</result></response>")
	return b.String()
}

// errorBody is an API error with its message in a CDATA line, as op
// errors come.
func errorBody(code int, msg string) string {
	msg = strings.ReplaceAll(msg, "]]>", "]]]]><![CDATA[>")
	return `<response status="error" code="` + strconv.Itoa(code) + `"><msg><line><![CDATA[` + msg + "]]></line></msg></response>"
}

// badRequestBody answers a request missing a parameter (HTTP 400).
func badRequestBody(param string) string {
	var b xmlBuf
	b.WriteString(`<response status = 'error' code = '400'><result>`)
	b.leaf("msg", "Illegal parameter ["+param+"]")
	b.WriteString("</result></response>")
	return b.String()
}
