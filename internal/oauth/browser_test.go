package oauth_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/internal/testclient"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// A person signs in through the hosted page in headless Chromium: an admin-created user with
// a temporary password, the new-password step, the redirect to the web app, and the app
// exchanging the code. The login page is also captured at desktop and phone width; with
// GATEHOUSE_SCREENSHOTS=dir the pictures are written there (docs/img).
func TestBrowserSignIn(t *testing.T) {
	chrome := testclient.RequireChromium(t)
	e := newEnv(t)
	e.createUser("grace", "grace@example.com", false)

	// The web app: its callback exchanges the code.
	got := make(chan string, 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, appPort, _ := net.SplitHostPort(ln.Addr().String())
	appCallback := "http://localhost:" + appPort + "/cb"
	client := must(e.svc.CreateUserPoolClient(e.ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: e.poolID, ClientName: "Acme Timesheets",
		GenerateSecret: ptr(true), AllowedOAuthFlowsUserPoolClient: ptr(true), AllowedOAuthFlows: []string{"code"},
		AllowedOAuthScopes: []string{"openid", "email"}, CallbackURLs: []string{appCallback}, SupportedIdentityProviders: []string{"COGNITO"}}))
	conf := oauth2.Config{ClientID: client.UserPoolClient.ClientId, ClientSecret: client.UserPoolClient.ClientSecret,
		Endpoint: e.provider(t).Endpoint(), RedirectURL: appCallback, Scopes: []string{"openid", "email"}}
	verifier := oauth2.GenerateVerifier()
	app := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != "browser-state" {
			http.Error(w, "bad state", http.StatusBadRequest)
			return
		}
		tok, err := conf.Exchange(e.clientCtx(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		idt, _ := tok.Extra("id_token").(string)
		select {
		case got <- idt:
		default:
		}
		_, _ = w.Write([]byte("<!doctype html><title>Signed in</title><h1>Welcome</h1>"))
	})}}
	app.Start()
	t.Cleanup(app.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first action starts the browser; a timeout on that context would stop the whole
	// browser, so the test's bound is a timer that cancels it.
	timer := time.AfterFunc(90*time.Second, cancel)
	defer timer.Stop()

	authURL := conf.AuthCodeURL("browser-state", oauth2.S256ChallengeOption(verifier))
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := chromedp.Do(ctx, chromedp.Navigate(authURL), chromedp.WaitVisible(css("#username"))); err != nil {
		t.Fatal(err)
	}
	title := must(chromedp.Run(ctx, chromedp.Title()))
	if !strings.Contains(title, "Sign in") || !strings.Contains(title, "Acme Staff") {
		t.Fatalf("title %q", title)
	}
	desktop := must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))
	noErr(t, chromedp.Do(ctx, chromedp.EmulateViewport(375, 740)))
	phone := must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))
	noErr(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
		// A wrong password first: the error is announced on the page.
		chromedp.SendKeys(css("#username"), "grace"),
		chromedp.SendKeys(css("#password"), "not-the-password"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("[role=alert]"))))
	alert := must(chromedp.Run(ctx, chromedp.Text(css("[role=alert]"))))
	withError := must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))
	if !strings.Contains(alert, "Incorrect username or password.") {
		t.Fatalf("alert %q", alert)
	}
	// The page kept the name typed; only the password is typed again.
	if v := must(chromedp.Run(ctx, chromedp.Value(css("#username")))); v != "grace" {
		t.Fatalf("username after a refusal %q", v)
	}
	noErr(t, chromedp.Do(ctx,
		chromedp.SendKeys(css("#password"), "Temp0rary!x"),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("#new_password")),
		chromedp.EmulateViewport(375, 740)))
	newPassword := must(chromedp.Run(ctx, chromedp.FullScreenshot(100)))
	noErr(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800),
		chromedp.SendKeys(css("#new_password"), "Br0wser-Passw0rd!"),
		chromedp.SendKeys(css("#confirm_password"), "Br0wser-Passw0rd!"),
		chromedp.Submit(css("#confirm_password"))))
	select {
	case idt := <-got:
		if idt == "" {
			t.Fatal("the app got no ID token")
		}
	case <-ctx.Done():
		t.Fatal("the browser never reached the app's callback")
	}
	noErr(t, chromedp.Do(ctx, chromedp.WaitVisible(css("h1"))))
	heading := must(chromedp.Run(ctx, chromedp.Text(css("h1"))))
	if heading != "Welcome" {
		t.Fatalf("the app's page says %q", heading)
	}
	if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
		for name, png := range map[string][]byte{"oauth-login-desktop.png": desktop, "oauth-login-phone.png": phone,
			"oauth-login-error.png": withError, "oauth-new-password-phone.png": newPassword} {
			if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
