package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/apiruntime"
	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/oauth"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/services"
	"github.com/gatehouse/gatehouse/internal/stack"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

type serveOptions struct {
	storeFlags
	addr      string
	region    string
	account   string
	issuerURL string
	smtpURL   string
	logLevel  string
	// requireAdminAuth turns protected mode's open door off: admin calls must be signed by a
	// known key even when every listener is on a loopback address.
	requireAdminAuth bool
	// config is -c: the serverless.yml whose REST API is served on apiAddr.
	config  string
	apiAddr string
	stage   string
	// watchInterval is how often the config file is checked for edits; 0 is one second.
	watchInterval time.Duration
	// env answers ${env:…} in -c; nil is the process environment.
	env func(string) (string, bool)
	// integrationTimeout replaces API Gateway's 29 s in tests; 0 in production.
	integrationTimeout time.Duration
	// now replaces the clock in tests (expiry, lockout); nil in production.
	now func() time.Time
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)

func newServeCommand() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the AWS endpoint (Cognito user and identity pools, IAM) and the API gateway until interrupted",
		Long: `serve listens on --addr for the AWS APIs Gatehouse speaks, as the AWS CLI and SDKs send
them to POST /: Cognito user pools (X-Amz-Target: AWSCognitoIdentityProviderService.<Op>),
Cognito identity pools (AWSCognitoIdentityService.<Op>), and IAM and STS (form posts with
Action=<Op>). It serves each pool's JWKS at /{userPoolId}/.well-known/jwks.json, the
identity pools' OpenID token keys at /.well-known/jwks_uri, and Prometheus metrics at /metrics.

Admin calls (pool management, Admin*, IAM) must be signed with SigV4 by an IAM user's key
whose policies allow them. On first start Gatehouse creates the user gatehouse-admin and
writes its key to {data}/credentials (profile gatehouse):

  AWS_SHARED_CREDENTIALS_FILE=.gatehouse/credentials AWS_PROFILE=gatehouse aws ...

While every listener is on a loopback address, unsigned and unknown-key admin calls are
accepted anyway (protected mode, so tutorials work as written) unless --require-admin-auth
is set. The ready line says which mode is on.

With -c serverless.yml it also serves that service's REST API on --api-addr, as API Gateway
would deploy it: http://HOST:PORT/{stage}/{path}, and its HTTP API (httpApi events) at
http://HOST:PORT/{path} (the $default stage), each route behind its authorizer, Lambda
functions run locally (Node.js handlers, provided.al2 executables such as aws-lambda-go
binaries). Its resources (Cognito user pools, app clients, groups, users, identity pools
and role attachments, IAM roles and policies, gateway responses) are created as
serverless deploy creates them, kept across restarts, and printed as "Stack Outputs" (also
in {data}/outputs.json); see docs/resources.md. Edits to the file are picked up within a
second, resources included; an edit that does not load is logged and the running routes stay.

When it is ready it prints one line per listener, e.g.

  gatehouse: aws endpoint http://127.0.0.1:9229
  gatehouse: api endpoint http://127.0.0.1:3000/dev
  gatehouse: http api endpoint http://127.0.0.1:3000
  Stack Outputs:
    UserPoolId: us-east-1_...
    ServiceEndpoint: http://127.0.0.1:3000/dev

Codes and invitations Gatehouse "sends" are logged and kept in an outbox
(gatehouse outbox), and mailed when --smtp-url is set. SIGINT or SIGTERM shut it down
gracefully.`,
		Example: `  gatehouse serve
  gatehouse serve -c serverless.yml
  gatehouse serve -c serverless.yml --stage prod --api-addr 127.0.0.1:8080
  gatehouse serve --addr :0 --data /tmp/gh
  gatehouse serve --addr 0.0.0.0:9229 --require-admin-auth
  gatehouse serve --store 'postgres://postgres@127.0.0.1:5432/gatehouse?sslmode=disable'
  gatehouse serve --issuer-url https://cognito-idp.us-east-1.amazonaws.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	fs := cmd.Flags()
	o.storeFlags.register(fs)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9229", "address of the AWS endpoint (Cognito APIs, JWKS); a port of 0 picks a free one")
	fs.StringVar(&o.region, "region", "us-east-1", "AWS region the endpoint claims to be (pool ids are {region}_…)")
	fs.StringVar(&o.account, "account", "000000000000", "AWS account id in ARNs")
	fs.StringVar(&o.issuerURL, "issuer-url", "", "token issuer base: tokens carry iss={issuer-url}/{userPoolId} (default: the AWS endpoint's own URL; https://cognito-idp.{region}.amazonaws.com makes AWS verifiers accept tokens unchanged)")
	fs.StringVar(&o.smtpURL, "smtp-url", "", "send EMAIL messages through this server, e.g. smtp://user:pass@mail:587?from=noreply@example.com")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVarP(&o.config, "config", "c", "", "serverless.yml whose REST API to serve on --api-addr (reloaded when it changes)")
	fs.StringVar(&o.apiAddr, "api-addr", "127.0.0.1:3000", "address of the API gateway for -c; a port of 0 picks a free one")
	fs.StringVar(&o.stage, "stage", "", "stage of -c, as serverless --stage (default: provider.stage, else dev)")
	fs.BoolVar(&o.requireAdminAuth, "require-admin-auth", false, "refuse admin calls (user-pool and identity-pool management, Admin*, IAM) that are unsigned or signed by an unknown key, even when every listener is on a loopback address; use the key in {data}/credentials (profile gatehouse)")
	return cmd
}

func (o *serveOptions) validate() error {
	if !regionPattern.MatchString(o.region) {
		return fmt.Errorf("--region %q is not an AWS region name such as us-east-1", o.region)
	}
	if len(o.account) != 12 || strings.Trim(o.account, "0123456789") != "" {
		return fmt.Errorf("--account %q must be 12 digits", o.account)
	}
	if o.config == "" && o.stage != "" {
		return errors.New("--stage needs -c serverless.yml")
	}
	if o.issuerURL != "" && !strings.HasPrefix(o.issuerURL, "http://") && !strings.HasPrefix(o.issuerURL, "https://") {
		return fmt.Errorf("--issuer-url %q must start with http:// or https://", o.issuerURL)
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("--log-level %q: use debug, info, warn or error", s)
	}
	return l, nil
}

func runServe(ctx context.Context, o serveOptions, stdout, stderr io.Writer) error {
	level, err := parseLevel(o.logLevel)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	srv, err := startServer(ctx, o, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "gatehouse: aws endpoint %s\n", srv.awsURL)
	if srv.adminOpen {
		fmt.Fprintf(stdout, "gatehouse: admin auth open on loopback: unsigned and unknown-key admin calls are accepted (--require-admin-auth refuses them); keys in %s\n", srv.credentialsPath)
	} else {
		fmt.Fprintf(stdout, "gatehouse: admin auth required: sign admin calls with the key in %s (profile %s)\n", srv.credentialsPath, iam.CredentialsProfile)
	}
	printAPIReady(stdout, srv)
	if srv.api != nil {
		_ = stack.PrintOutputs(stdout, srv.stack.Outputs(), false)
	}
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	<-ctx.Done()
	log.Info("shutting down")
	return srv.Close()
}

// printAPIReady prints the ready lines of -c: the REST API's stage URL when the file has http
// events (or no HTTP API), the HTTP API's URL when it has httpApi events, the API keys.
func printAPIReady(stdout io.Writer, srv *server) {
	if srv.api == nil {
		return
	}
	if len(srv.api.Current().Service.Endpoints) > 0 || srv.httpAPIURL == "" {
		fmt.Fprintf(stdout, "gatehouse: api endpoint %s\n", srv.apiURL)
	}
	if srv.httpAPIURL != "" {
		fmt.Fprintf(stdout, "gatehouse: http api endpoint %s\n", srv.httpAPIURL)
	}
	for _, k := range srv.apiKeys {
		fmt.Fprintf(stdout, "gatehouse: api key %s %s\n", k.Name, k.Value)
	}
}

// server is a running Gatehouse: its endpoints and the stack that undoes its start.
type server struct {
	awsURL string
	// adminOpen: protected mode accepts unsigned and unknown-key admin calls.
	adminOpen       bool
	credentialsPath string // {data}/credentials, profile gatehouse
	idpAPI          *awsapi.Service
	store           *dataStore

	// The API gateway of -c; nil without it.
	api    *apiruntime.Runtime
	apiURL string // http://host:port/{stage}
	// httpAPIURL is the HTTP API's, http://host:port; "" when the file has no httpApi event.
	httpAPIURL string
	apiKeys    []apiruntime.APIKey
	// stack deploys -c's resources and holds its outputs; nil without -c.
	stack *stack.Hook

	undo cleanups
}

// Close shuts the listeners down gracefully (in-flight requests get up to 10 s), stops the
// functions and background work, and closes the store, in the reverse order of the start.
// Later calls return the first call's result.
func (s *server) Close() error { return s.undo.run() }

// startServer builds every part from o and starts listening. The caller owns Close; on error
// everything already started has been undone.
func startServer(ctx context.Context, o serveOptions, log *slog.Logger) (*server, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	b := &startup{o: o, log: log, s: &server{}}
	if o.smtpURL != "" {
		var err error
		if b.smtp, err = mail.ParseSMTPURL(o.smtpURL); err != nil {
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
	}
	return b.run(ctx, b.steps())
}

// startup builds a server step by step. Each step pushes onto s.undo how to release what it
// acquired, so a failure at any step undoes every earlier one, once.
type startup struct {
	o    serveOptions
	log  *slog.Logger
	smtp *mail.SMTPConfig
	s    *server

	ln, apiLn net.Listener
	key       *masterkey.Key
	svc       *services.Services
}

type step struct {
	name string
	run  func(ctx context.Context) error
}

func (b *startup) steps() []step {
	return []step{
		{"listen on --addr", b.listen},
		{"open the store", b.openStore},
		{"build the services", b.services},
		{"admin credentials", b.adminKey},
		{"load -c", b.loadAPI},
		{"listen on --api-addr", b.listenAPI},
		{"serve", b.serve},
	}
}

func (b *startup) run(ctx context.Context, steps []step) (*server, error) {
	for _, st := range steps {
		if err := st.run(ctx); err != nil {
			if uerr := b.s.undo.run(); uerr != nil {
				b.log.Warn("undo a failed start", "step", st.name, "err", uerr)
			}
			return nil, err
		}
	}
	return b.s, nil
}

func (b *startup) listen(context.Context) (err error) {
	b.ln, err = b.s.undo.listen("--addr", b.o.addr)
	if err == nil {
		b.s.awsURL = "http://" + b.ln.Addr().String()
	}
	return err
}

func (b *startup) openStore(ctx context.Context) error {
	st, key, err := b.o.storeFlags.open(ctx)
	if err != nil {
		return err
	}
	b.s.undo.push(st.Close)
	b.s.store, b.key = st, key
	return nil
}

// services builds the AWS APIs: user pools, identity pools, IAM and admin authentication.
func (b *startup) services(ctx context.Context) error {
	issuerURL := strings.TrimRight(b.o.issuerURL, "/")
	if issuerURL == "" {
		issuerURL = b.s.awsURL
	}
	listeners := []string{b.ln.Addr().String()}
	if b.o.config != "" {
		listeners = append(listeners, b.o.apiAddr)
	}
	// Protected mode while every listener is on a loopback address (docs/iam.md).
	b.s.adminOpen = !b.o.requireAdminAuth && loopbackOnly(listeners...)
	svc, err := services.New(services.Config{
		Store: b.s.store, Master: b.key, Region: b.o.region, Account: b.o.account, IssuerURL: issuerURL,
		SMTP: b.smtp, AdminOpen: b.s.adminOpen, DataDir: b.o.data, Log: b.log, Now: b.o.now,
	})
	if err != nil {
		return err
	}
	// Mails still being sent get their own timeout; the store closes after them.
	b.s.undo.push(svc.Close)
	b.svc = svc
	// Pools stored before the store enforced unique emails, phone numbers and aliases get
	// their rule now, before any request: a value two users already share stays with the
	// older one, and each such duplicate is logged (docs/userpools.md, "Uniqueness").
	return svc.Pools.DeclareUniqueness(ctx)
}

func (b *startup) adminKey(ctx context.Context) error {
	b.s.credentialsPath = filepath.Join(b.o.data, "credentials")
	if err := b.svc.IAM.EnsureAdminKey(ctx, b.s.credentialsPath); err != nil {
		return fmt.Errorf("admin credentials: %w", err)
	}
	return nil
}

// loadAPI loads -c and starts its functions' manager.
func (b *startup) loadAPI(ctx context.Context) error {
	o, st := b.o, b.s.store
	if o.config == "" {
		return nil
	}
	env := o.env
	if env == nil {
		env = os.LookupEnv
	}
	b.s.stack = stack.NewHook(b.svc.Stack, o.data)
	lambdas := lambda.NewManager(b.log.With("component", "lambda"), lambda.WithRegion(o.region), lambda.WithAccount(o.account))
	b.s.undo.push(lambdas.Close)
	rt := apiruntime.New(apiruntime.Config{
		File:    o.config,
		Options: serverless.Options{Stage: o.stage, Region: o.region, Env: env, AccountID: o.account},
		Deps: apiruntime.Deps{
			Master: b.key, Verifier: b.svc.Issuer, Clients: apiruntime.NewClientLookup(st, o.now),
			Pools: st, Groups: st, Roles: st, Principals: b.svc.Principals, Now: o.now,
			LocalPool: b.svc.Issuer.PoolIDFromIssuer,
		},
		Gateway: gateway.New(nil, gateway.Options{Log: b.log.With("component", "gateway"), Now: o.now, IntegrationTimeout: o.integrationTimeout}),
		Lambdas: lambdas, Log: b.log,
		HTTPAPI:     httpapi.NewServer(nil, httpapi.Options{Log: b.log.With("component", "httpapi"), Now: o.now, IntegrationTimeout: o.integrationTimeout}),
		Provisioner: b.s.stack,
	})
	snap, err := rt.Reload(ctx)
	if err != nil {
		return err
	}
	b.s.api, b.s.apiKeys = rt, snap.APIKeys
	return nil
}

func (b *startup) listenAPI(context.Context) (err error) {
	if b.s.api == nil {
		return nil
	}
	if b.apiLn, err = b.s.undo.listen("--api-addr", b.o.apiAddr); err != nil {
		return err
	}
	b.s.apiURL = apiruntime.EndpointURL("http://"+b.apiLn.Addr().String(), b.s.api.Current().Service.Stage)
	if b.s.api.Current().HTTPTable != nil {
		b.s.httpAPIURL = apiruntime.HTTPAPIURL("http://" + b.apiLn.Addr().String())
	}
	// ServiceEndpoint is the REST API's base URL, as serverless deploy prints it; a service
	// with only HTTP APIs gets the HTTP API's.
	endpoint := b.s.apiURL
	if len(b.s.api.Current().Service.Endpoints) == 0 && b.s.httpAPIURL != "" {
		endpoint = b.s.httpAPIURL
	}
	return b.s.stack.SetEndpoint(endpoint)
}

// serve starts the background work and both listeners' servers.
func (b *startup) serve(context.Context) error {
	idp := awsapi.NewService("AWSCognitoIdentityProviderService", model.CognitoIDP())
	b.svc.Pools.Register(idp)
	cid := awsapi.NewService("AWSCognitoIdentityService", model.CognitoIdentity())
	b.svc.Identities.Register(cid)
	b.s.idpAPI = idp

	st := b.s.store
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", awsapi.ByProtocol(awsapi.NewServer(b.log, b.svc.Auth, idp, cid), b.svc.IAM))
	// The identity pools' OpenID tokens (GetOpenIdToken) verify against this JWKS, as AWS's
	// verify against https://cognito-identity.amazonaws.com/.well-known/jwks_uri.
	mux.Handle("GET /.well-known/jwks_uri", b.svc.Issuer.OpenIDHandler())
	mux.Handle("GET /{poolId}/.well-known/", b.svc.Issuer.Handler(b.svc.Pools.PoolExists))
	// OAuth 2.0 endpoints and hosted pages on pool domains (docs/oauth.md).
	hosted, err := oauth.New(oauth.Config{Pools: b.svc.Pools, Codes: st, IssuerFor: b.svc.Issuer.IssuerFor, Now: b.o.now, Log: b.log})
	if err != nil {
		return err
	}
	mux.Handle("GET /{poolId}/.well-known/openid-configuration", hosted.Discovery())
	mux.Handle("GET /metrics", apiruntime.MetricsHandler(b.s.api.Stats))
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		if err := st.Ping(r.Context()); err != nil {
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
	b.s.undo.goroutine(func(ctx context.Context) { b.svc.Pools.CollectGarbage(ctx, userpool.GCInterval) })
	b.s.undo.serve(&http.Server{
		Handler:           hosted.Wrap(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}, b.ln)
	if b.s.api == nil {
		return nil
	}
	interval := b.o.watchInterval
	if interval <= 0 {
		interval = time.Second
	}
	b.s.undo.goroutine(func(ctx context.Context) { b.s.api.Watch(ctx, interval) })
	b.s.undo.serve(&http.Server{
		Handler:           b.s.api, // the REST API (gateway) and the HTTP API (httpapi)
		ReadHeaderTimeout: 10 * time.Second,
		// The body may be 10 MB and the integration may take 29 s.
		ReadTimeout:    60 * time.Second,
		WriteTimeout:   gateway.DefaultIntegrationTimeout + 30*time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(b.log.Handler(), slog.LevelWarn),
	}, b.apiLn)
	return nil
}
