// Package pgnode runs a real PostgreSQL server (Debian's postgresql
// package) on 127.0.0.1 for tests, localnet and benchmarks: a dealer's
// legacy ledger the notaries read, and later the regulator's warehouse.
// It installs the package with apt-get when the server binaries are
// missing, as scripts/protocgen.sh does for protoc. PostgreSQL refuses to
// run as root, so under root the server runs as the package's "postgres"
// user, in a data directory of its own.
package pgnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vinhub/vinhub/testnet/debpkg"
	"github.com/vinhub/vinhub/testnet/loopback"
)

// Node is one running PostgreSQL server.
type Node struct {
	// Port is the server's TCP port on 127.0.0.1.
	Port int
	// Dir is the data directory (removed by Stop).
	Dir     string
	LogPath string

	bin  string
	cred *syscall.Credential
}

// User is the superuser the server is initialised with (trust auth on loopback).
const User = "postgres"

// Start initialises a fresh cluster and starts it, returning once it
// accepts connections.
func Start(ctx context.Context) (*Node, error) {
	bin, err := serverBin(ctx)
	if err != nil {
		return nil, err
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "vinhub-pg-")
	if err != nil {
		return nil, err
	}
	n := &Node{Dir: dir, LogPath: filepath.Join(dir, "postgres.log"), bin: bin, cred: cred}
	if err := n.own(dir); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := n.command(ctx, "initdb", "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgnode: initdb: %w: %s", err, out)
	}
	ports, err := loopback.Ports(1)
	if err != nil {
		return nil, err
	}
	n.Port = ports[0]
	if err := n.start(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return n, n.waitReady(ctx)
}

// start runs the server on the node's port and data directory.
func (n *Node) start(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", n.Port, n.Dir)
	if out, err := n.command(ctx, "pg_ctl", "-D", filepath.Join(n.Dir, "data"), "-l", n.LogPath, "-o", opts, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(n.LogPath)
		return fmt.Errorf("pgnode: pg_ctl start: %w: %s\n%s", err, out, log)
	}
	return nil
}

// Halt stops the server (fast mode: open transactions are rolled back)
// and keeps its data, for tests of clients that must survive a database
// restart; Resume starts it again on the same port.
func (n *Node) Halt() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := n.command(ctx, "pg_ctl", "-D", filepath.Join(n.Dir, "data"), "-m", "fast", "-w", "stop").CombinedOutput(); err != nil {
		return fmt.Errorf("pgnode: pg_ctl stop: %w: %s", err, out)
	}
	return nil
}

// Resume starts a halted server again with its data.
func (n *Node) Resume(ctx context.Context) error {
	if err := n.start(ctx); err != nil {
		return err
	}
	return n.waitReady(ctx)
}

// DSN is a connection string for database db as the superuser.
func (n *Node) DSN(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", User, n.Port, db)
}

// CreateDatabase creates an empty database.
func (n *Node) CreateDatabase(ctx context.Context, name string) error {
	out, err := n.command(ctx, "createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(n.Port), "-U", User, name).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgnode: createdb %s: %w: %s", name, err, out)
	}
	return nil
}

// OpenDatabase creates database name, connects to it and runs the schema
// statements (e.g. a ledger table), returning the connection.
func (n *Node) OpenDatabase(ctx context.Context, name string, schema ...string) (*pgx.Conn, error) {
	if err := n.CreateDatabase(ctx, name); err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, n.DSN(name))
	if err != nil {
		return nil, fmt.Errorf("pgnode: connect to %s: %w", name, err)
	}
	for _, stmt := range schema {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			conn.Close(ctx)
			return nil, fmt.Errorf("pgnode: schema of %s: %w", name, err)
		}
	}
	return conn, nil
}

// Stop shuts the server down (fast mode) and removes its data.
func (n *Node) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := n.command(ctx, "pg_ctl", "-D", filepath.Join(n.Dir, "data"), "-m", "fast", "-w", "stop").CombinedOutput()
	os.RemoveAll(n.Dir)
	if err != nil {
		return fmt.Errorf("pgnode: pg_ctl stop: %w: %s", err, out)
	}
	return nil
}

func (n *Node) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", n.Port), time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgnode: server on port %d does not accept connections: %w", n.Port, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// command runs one of the server's programs as the server's user.
func (n *Node) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(n.bin, prog), args...)
	cmd.Dir = n.Dir
	if n.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: n.cred}
		cmd.Env = append(os.Environ(), "HOME="+n.Dir)
	}
	return cmd
}

// own gives the data directory to the server's user.
func (n *Node) own(dir string) error {
	if n.cred == nil {
		return nil
	}
	return os.Chown(dir, int(n.cred.Uid), int(n.cred.Gid))
}

// runAs is the postgres user's credential when running as root, else nil.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgnode: running as root needs the postgres user of Debian's postgresql package: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// serverBin finds the newest /usr/lib/postgresql/<version>/bin, installing
// Debian's postgresql package first if there is none.
func serverBin(ctx context.Context) (string, error) {
	if dir, ok := newestBin(); ok {
		return dir, nil
	}
	if err := debpkg.Install(ctx, "postgresql"); err != nil {
		return "", err
	}
	if dir, ok := newestBin(); ok {
		return dir, nil
	}
	return "", errors.New("pgnode: postgresql installed but no /usr/lib/postgresql/*/bin/initdb found")
}

func newestBin() (string, bool) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		return "", false
	}
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(dirs[j]))))
		return vi > vj
	})
	return filepath.Dir(dirs[0]), true
}
