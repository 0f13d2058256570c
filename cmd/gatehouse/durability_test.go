package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// buildBinary builds the gatehouse command once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gatehouse")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	return bin
}

// startProcess runs `gatehouse serve` on a free port and returns its AWS endpoint URL from the
// ready line.
func startProcess(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if url, ok := strings.CutPrefix(sc.Text(), "gatehouse: aws endpoint "); ok {
				lines <- url
			}
		}
	}()
	select {
	case url := <-lines:
		return cmd, url
	case <-time.After(30 * time.Second):
		t.Fatal("no ready line within 30 s")
	}
	return nil, ""
}

// Every sign-up the server acknowledged survives a SIGKILL mid-load, and the database passes
// its integrity check afterwards.
func TestDurabilityAcrossSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	idp := newIDPClient(url)
	ctx := context.Background()
	p, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("durable")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("user-%d-%d", w, i)
				_, err := idp.SignUp(ctx, &cip.SignUpInput{ClientId: c.UserPoolClient.ClientId, Username: aws.String(name), Password: aws.String("Passw0rd!")})
				if err != nil {
					return // the server died under us
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		}(w)
	}
	// Let some sign-ups land, then kill the server without warning.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no sign-up was acknowledged before the kill")
	}

	st, err := sqlstore.Open(ctx, filepath.Join(data, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity check after SIGKILL: %v", err)
	}
	st.Close()

	_, url = startProcess(t, bin, data)
	idp = newIDPClient(url)
	for _, name := range acked {
		if _, err := idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: p.UserPool.Id, Username: aws.String(name)}); err != nil {
			t.Errorf("acknowledged sign-up %s lost: %v", name, err)
		}
	}
	t.Logf("%d acknowledged sign-ups survived SIGKILL", len(acked))
}

// SIGTERM shuts serve down gracefully: it exits 0, promptly, and the store reopens clean.
func TestGracefulShutdownOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	cmd, url := startProcess(t, bin, data)
	if _, err := newIDPClient(url).CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("p")}); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v (want exit status 0)", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not exit within 15 s of SIGTERM")
	}
	st, err := sqlstore.Open(context.Background(), filepath.Join(data, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
}
