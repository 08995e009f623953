// Command ferretdb is a tiny wrapper around FerretDB's embeddable package
// (github.com/FerretDB/FerretDB/ferretdb) using the pure-Go SQLite handler.
//
// It gives tests and CI a MongoDB wire-protocol compatible server without a
// MongoDB binary and without PostgreSQL. It is a test fixture, not a
// production database. Start/stop it via scripts/ferretdb.sh.
//
// Being our own main module (not FerretDB's cmd/ferretdb) avoids the
// build/version panic about a missing version.txt: that check only runs when
// the main module path is github.com/FerretDB/FerretDB.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27018", "TCP listen address (host:port)")
	stateDir := flag.String("state-dir", "", "directory for SQLite database files (default: a new temp dir, removed on exit)")
	flag.StringVar(stateDir, "sqlite-dir", "", "alias for -state-dir")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatalf("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir := *stateDir
	removeDir := false
	if dir == "" {
		d, err := os.MkdirTemp("", "ferretdb-sqlite-")
		if err != nil {
			fatalf("create temp state dir: %v", err)
		}
		dir, removeDir = d, true
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fatalf("create state dir %q: %v", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		fatalf("resolve state dir %q: %v", dir, err)
	}
	if removeDir {
		defer os.RemoveAll(abs)
	}

	// The SQLite handler wants a "file:" URI pointing at an existing directory, ending in "/".
	sqliteURL := "file:" + strings.TrimSuffix(abs, "/") + "/"

	// FerretDB listens on a Unix socket in the state folder; clients reach it on -listen through the
	// proxy that lets one write at a time through (see serialize_writes.go).
	socket := filepath.Join(abs, "ferretdb.sock")
	os.Remove(socket) // left by a killed run
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		if removeDir {
			os.RemoveAll(abs)
		}
		fatalf("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until FerretDB's listener is bound: only then does the proxy accept clients.
	f.MongoDBURI()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fatalf("listen on %s: %v", *listen, err)
	}
	go func() {
		if err := (&writeSerializer{backend: socket}).serve(l); err != nil {
			fatalf("proxy on %s: %v", *listen, err)
		}
	}()
	fmt.Fprintf(os.Stderr, "ferretdb: listening, uri=mongodb://%s/ sqlite=%s\n", *listen, sqliteURL)

	if err := <-done; err != nil {
		logger.Error("ferretdb stopped with error", "err", err)
		if removeDir {
			os.RemoveAll(abs)
		}
		os.Exit(1)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb: "+format+"\n", args...)
	os.Exit(1)
}
