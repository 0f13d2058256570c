package lambda

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// process is one execution environment: a function process, the Runtime API listener it
// polls, and the goroutines that forward its output and wait for its exit.
type process struct {
	pid int
	cmd *exec.Cmd
	api *runtimeAPI
	srv *http.Server
	log *slog.Logger

	killed  atomic.Bool   // we killed it: its exit is expected
	exited  chan struct{} // closed once the process has exited and been reaped
	exitErr error         // cmd.Wait's error, set before exited is closed
	output  sync.WaitGroup
}

// startProcess starts a process for the pool's function with its own Runtime API listener.
// onExit runs after the process exited.
func startProcess(f *pool, onExit func(*process)) (*process, error) {
	name, args, runtimeDir, err := f.command()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API listener: %w", err)
	}
	p := &process{
		api:    newRuntimeAPI(f.log, maxResponseBytes),
		log:    f.log,
		exited: make(chan struct{}),
	}
	p.srv = &http.Server{
		Handler:           p.api,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(f.log.Handler(), slog.LevelDebug),
	}
	go func() { _ = p.srv.Serve(ln) }()

	cmd := exec.Command(name, args...)
	cmd.Dir = f.fn.Dir
	cmd.Env = f.fn.environ(f.cfg, ln.Addr().String(), runtimeDir, logStreamName())
	setProcessGroup(cmd)
	stdout, err := p.pipe(cmd, "stdout")
	if err == nil {
		var stderr *os.File
		stderr, err = p.pipe(cmd, "stderr")
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err == nil {
			err = cmd.Start()
		}
		// The child holds its own copies of the write ends; ours must go for EOF to come.
		_ = stdout.Close()
		if stderr != nil {
			_ = stderr.Close()
		}
	}
	if err != nil {
		_ = p.srv.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p.cmd = cmd
	p.pid = cmd.Process.Pid
	p.log.Debug("function process started", "pid", p.pid, "runtime_api", ln.Addr().String())
	go p.wait(onExit)
	return p, nil
}

// pipe returns the write end of a pipe whose read end is logged line by line, each line under
// the invocation that was current when it was written (see outputStream). An *os.File as
// cmd.Stdout is inherited as is, so Wait never waits for the children that share it.
func (p *process) pipe(cmd *exec.Cmd, stream string) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	out, err := newOutputStream(r)
	if err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, err
	}
	p.api.watchOutput(out)
	p.output.Add(1)
	go func() {
		defer p.output.Done()
		defer r.Close()
		forwardLines(out, func(line string, start int64, truncated bool) {
			attrs := []slog.Attr{slog.String("stream", stream)}
			if id := out.idAt(start); id != "" {
				attrs = append(attrs, slog.String("request_id", id))
			}
			if truncated {
				attrs = append(attrs, slog.Bool("truncated", true))
			}
			p.log.LogAttrs(context.Background(), slog.LevelInfo, line, attrs...)
		})
	}()
	return w, nil
}

// wait reaps the process, kills what is left of its group, and stops its Runtime API.
func (p *process) wait(onExit func(*process)) {
	err := p.cmd.Wait()
	killGroup(p.cmd)
	_ = p.srv.Close()
	if p.killed.Load() {
		p.log.Debug("function process stopped", "pid", p.pid)
	} else {
		p.log.Warn("function process exited", "pid", p.pid, "status", exitStatus(err))
	}
	p.exitErr = err
	close(p.exited)
	onExit(p)
}

// kill stops the process and every process of its group.
func (p *process) kill() {
	p.killed.Store(true)
	killGroup(p.cmd)
}

func (p *process) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// exitMessage is Lambda's errorMessage for a runtime that exited mid-invocation.
func (p *process) exitMessage() string {
	if p.exitErr == nil {
		return "Runtime exited without providing a reason"
	}
	return "Runtime exited with error: " + exitStatus(p.exitErr)
}

// exitStatus renders cmd.Wait's error as Lambda does: "exit status 1", "signal: killed".
func exitStatus(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ProcessState.String()
	}
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// logStreamName is AWS_LAMBDA_LOG_STREAM_NAME: "2024/01/31/[$LATEST]" and 32 hex digits.
func logStreamName() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + hex.EncodeToString(b[:])
}
