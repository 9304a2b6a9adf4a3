package probe

import (
	"net"
	"testing"
)

// peekAlive tells an idle open connection from one the peer closed or
// wrote to, without consuming a byte.
func TestPeekAlive(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
		close(accepted)
	}()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server := <-accepted
	if server == nil {
		t.Fatal("no connection accepted")
	}
	if ok, known := peekAlive(client); !known || !ok {
		t.Fatalf("idle open connection: alive %v, known %v", ok, known)
	}
	// Bytes nobody asked for: not reusable, and still there to read.
	if _, err := server.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if !waitFor(func() bool { ok, _ := peekAlive(client); return !ok }) {
		t.Fatal("still alive")
	}
	var b [1]byte
	if n, err := client.Read(b[:]); n != 1 || b[0] != 'x' || err != nil {
		t.Fatalf("after the peek, read %d %q %v", n, b[:n], err)
	}
	if ok, _ := peekAlive(client); !ok {
		t.Fatal("alive again once the byte was read: want alive")
	}
	_ = server.Close()
	if !waitFor(func() bool { ok, _ := peekAlive(client); return !ok }) {
		t.Fatal("still alive")
	}

	// Without a socket there is nothing to peek at.
	a, b2 := net.Pipe()
	defer a.Close()
	defer b2.Close()
	if _, known := peekAlive(a); known {
		t.Fatal("net.Pipe: peekAlive claims to know")
	}
}
