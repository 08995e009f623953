package main

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// FerretDB 1.x applies an update as a query and then a write of the documents found, with no
// transaction around the two (FerretDB issue #3040): two connections that $inc one document at once
// lose one of the increments (measured here: 600 concurrent increments from two connections left 345).
// MongoDB applies each document's update atomically, and callpath relies on that (rollup counters,
// compare-and-set of rollup scope versions, conditional journey writes). So the server the tests use
// lets one write command at a time through, whatever connection it comes on; reads are not held up.
//
// writeSerializer is a proxy: each client connection gets one to FerretDB (on a Unix socket); a write
// command holds the lock from the moment it is forwarded until FerretDB's answer to it comes back.

const (
	opMsg       = 2013
	headerSize  = 16
	maxMsgBytes = 48 << 20
	moreToCome  = 1 << 1
)

var writeCommands = map[string]bool{"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true}

type writeSerializer struct {
	backend string // FerretDB's Unix socket
	mu      sync.Mutex
}

func (s *writeSerializer) serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go s.handle(c)
	}
}

func readMsg(r io.Reader) ([]byte, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(h[0:4]))
	if n < headerSize || n > maxMsgBytes {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, h[:])
	_, err := io.ReadFull(r, msg[headerSize:])
	return msg, err
}

// isAcknowledgedWrite: an OP_MSG whose body's first key (the command's name) is a write, with an answer to wait for.
func isAcknowledgedWrite(msg []byte) bool {
	if len(msg) < 26 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return false
	}
	if binary.LittleEndian.Uint32(msg[16:20])&moreToCome != 0 || msg[20] != 0 {
		return false
	}
	// msg[21:25] is the body document's length, msg[25] its first element's type, then its name.
	name := msg[26:]
	for i, b := range name {
		if b == 0 {
			return writeCommands[string(name[:i])]
		}
	}
	return false
}

func (s *writeSerializer) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("unix", s.backend)
	if err != nil {
		return
	}
	defer server.Close()

	// The id of the write holding the lock for this connection, 0 when none (a driver sends one
	// request at a time on a connection and waits for its answer).
	var pending atomic.Int64
	release := func() {
		if pending.Swap(0) != 0 {
			s.mu.Unlock()
		}
	}
	defer release()

	done := make(chan struct{})
	go func() {
		defer close(done)
		defer client.Close()
		for {
			msg, err := readMsg(server)
			if err != nil {
				return
			}
			responseTo := int64(int32(binary.LittleEndian.Uint32(msg[8:12])))
			if responseTo != 0 && pending.Load() == responseTo {
				release()
			}
			if _, err := client.Write(msg); err != nil {
				return
			}
		}
	}()
	for {
		msg, err := readMsg(client)
		if err != nil {
			break
		}
		if isAcknowledgedWrite(msg) {
			s.mu.Lock()
			pending.Store(int64(int32(binary.LittleEndian.Uint32(msg[4:8]))))
		}
		if _, err := server.Write(msg); err != nil {
			break
		}
	}
	server.Close()
	<-done
}
