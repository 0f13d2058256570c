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
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/oauth"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
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
would deploy it: http://HOST:PORT/{stage}/{path}, each endpoint behind its authorizer, Lambda
functions run locally (Node.js handlers, provided.al2 executables such as aws-lambda-go
binaries). Edits to the file are picked up within a second; an edit that does not load is
logged and the running routes stay.

When it is ready it prints one line per listener, e.g.

  gatehouse: aws endpoint http://127.0.0.1:9229
  gatehouse: api endpoint http://127.0.0.1:3000/dev

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
		fmt.Fprintf(stdout, "gatehouse: admin auth required: sign admin calls with the key in %s (profile %s)\n", srv.credentialsPath, credentialsProfile)
	}
	if srv.api != nil {
		fmt.Fprintf(stdout, "gatehouse: api endpoint %s\n", srv.apiURL)
		for _, k := range srv.apiKeys {
			fmt.Fprintf(stdout, "gatehouse: api key %s %s\n", k.name, k.value)
		}
	}
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	<-ctx.Done()
	log.Info("shutting down")
	return srv.Close()
}

// server is a running Gatehouse: its listeners and what they own.
type server struct {
	awsURL string
	// adminOpen: protected mode accepts unsigned and unknown-key admin calls.
	adminOpen       bool
	credentialsPath string // {data}/credentials, profile gatehouse
	idpAPI          *awsapi.Service
	outbox          *userpool.Outbox
	http            *http.Server
	store           *sqlstore.Store
	done            chan error
	stopGC          context.CancelFunc

	// The API gateway of -c; nil without it.
	api       *apiRuntime
	apiURL    string // http://host:port/{stage}
	apiKeys   []apiKey
	apiHTTP   *http.Server
	apiDone   chan error
	lambdas   *lambda.Manager
	stopWatch context.CancelFunc

	closeOnce sync.Once
	closeErr  error
}

// startServer builds every part from o and starts listening. The caller owns Close.
func startServer(ctx context.Context, o serveOptions, log *slog.Logger) (*server, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	var smtp *userpool.SMTPConfig
	if o.smtpURL != "" {
		var err error
		if smtp, err = userpool.ParseSMTPURL(o.smtpURL); err != nil {
			return nil, fmt.Errorf("--smtp-url: %w", err)
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return nil, fmt.Errorf("listen on --addr %s: %w", o.addr, err)
	}
	awsURL := "http://" + ln.Addr().String()
	issuerURL := strings.TrimRight(o.issuerURL, "/")
	if issuerURL == "" {
		issuerURL = awsURL
	}
	st, key, err := o.storeFlags.open(ctx)
	if err != nil {
		ln.Close()
		return nil, err
	}
	issuer, err := token.NewIssuer(token.Config{Keys: st, Master: key, IssuerURL: issuerURL, EndpointURL: awsURL, Now: o.now, Logger: log})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	outbox := userpool.NewOutbox(st, log, smtp)
	pools, err := userpool.New(userpool.Config{
		Store: st, Tokens: issuer, Master: key,
		Deliverer: outbox,
		Region:    o.region, Account: o.account, Log: log, Now: o.now,
	})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	idp := awsapi.NewService("AWSCognitoIdentityProviderService", model.CognitoIDP())
	pools.Register(idp)
	creds, err := iam.New(iam.Config{Store: st, Master: key, Now: o.now})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	identities, err := identitypool.New(identitypool.Config{
		Store: st, Tokens: issuer, OpenID: issuer, Credentials: creds,
		Region: o.region, Account: o.account, Log: log, Now: o.now,
	})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	cid := awsapi.NewService("AWSCognitoIdentityService", model.CognitoIdentity())
	identities.Register(cid)

	// Admin authentication (docs/iam.md): SigV4 by Gatehouse's IAM users and temporary
	// credentials, their policies deciding; protected mode while every listener is on a
	// loopback address.
	principals, err := iam.NewPrincipals(iam.PrincipalsConfig{Store: st, Master: key, Issuer: creds, AccountID: o.account, Now: o.now})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	listeners := []string{ln.Addr().String()}
	if o.config != "" {
		listeners = append(listeners, o.apiAddr)
	}
	adminOpen := !o.requireAdminAuth && loopbackOnly(listeners...)
	auth, err := iam.NewAuthenticator(iam.AuthenticatorConfig{Principals: principals, AccountID: o.account, Region: o.region, Open: adminOpen, Identities: st, Now: o.now, Log: log})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	iamAPI, err := iam.NewAPI(iam.APIConfig{Store: st, Master: key, Principals: principals, Authenticator: auth, AccountID: o.account, Region: o.region, Log: log, Now: o.now})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	credPath := filepath.Join(o.data, "credentials")
	if err := ensureAdminKey(ctx, iamAPI, principals, st, credPath); err != nil {
		st.Close()
		ln.Close()
		return nil, fmt.Errorf("admin credentials: %w", err)
	}
	api := awsapi.NewServer(log, auth, idp, cid)

	mux := http.NewServeMux()
	mux.Handle("POST /{$}", protocolMux{json: api, query: iamAPI})
	// The identity pools' OpenID tokens (GetOpenIdToken) verify against this JWKS, as AWS's
	// verify against https://cognito-identity.amazonaws.com/.well-known/jwks_uri.
	mux.Handle("GET /.well-known/jwks_uri", issuer.OpenIDHandler())
	mux.Handle("GET /{poolId}/.well-known/", issuer.Handler(func(ctx context.Context, id string) (bool, error) {
		_, err := st.GetUserPool(ctx, id)
		if err == nil {
			return true, nil
		}
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return false, err
	}))
	// OAuth 2.0 endpoints and hosted pages on pool domains (docs/oauth.md).
	hosted, err := oauth.New(oauth.Config{Pools: pools, Codes: st, IssuerFor: issuer.IssuerFor, Now: o.now, Log: log})
	if err != nil {
		st.Close()
		ln.Close()
		return nil, err
	}
	mux.Handle("GET /{poolId}/.well-known/openid-configuration", hosted.Discovery())
	var s *server // set below, before the listener serves anything
	mux.Handle("GET /metrics", metricsHandler(func() []authorizerStat {
		if s.api == nil {
			return nil
		}
		return s.api.authorizerStats()
	}))
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		if err := st.Ping(r.Context()); err != nil {
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	})
	hs := &http.Server{
		Handler:           hosted.Wrap(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	gcCtx, stopGC := context.WithCancel(context.Background())
	s = &server{adminOpen: adminOpen, credentialsPath: credPath, awsURL: awsURL, idpAPI: idp, outbox: outbox, http: hs, store: st, done: make(chan error, 1), stopGC: stopGC}
	if o.config != "" {
		deps := authorizerDeps{principals: principals, verifier: issuer, clients: newClientLookup(st, o.now), pools: st, groups: st, roles: st, master: key, now: o.now}
		if err := s.startAPI(ctx, o, deps, log); err != nil {
			stopGC()
			_ = outbox.Close()
			st.Close()
			ln.Close()
			return nil, err
		}
	}
	go func() { s.done <- hs.Serve(ln) }()
	go collectGarbage(gcCtx, st, log)
	return s, nil
}

// startAPI loads -c, starts its functions' manager and the API listener, and watches the file.
func (s *server) startAPI(ctx context.Context, o serveOptions, deps authorizerDeps, log *slog.Logger) error {
	if o.env == nil {
		o.env = os.LookupEnv
	}
	lambdas := lambda.NewManager(log.With("component", "lambda"), lambda.WithRegion(o.region), lambda.WithAccount(o.account))
	gw := gateway.New(nil, gateway.Options{Log: log.With("component", "gateway"), Now: o.now, IntegrationTimeout: o.integrationTimeout})
	rt := &apiRuntime{
		file: o.config,
		opts: serverless.Options{Stage: o.stage, Region: o.region, Env: o.env, AccountID: o.account},
		log:  log, gw: gw, lambdas: lambdas, invoker: lambdaInvoker{lambdas},
		client: gateway.NewHTTPClient(), auth: deps,
	}
	svc, err := rt.reload(ctx)
	if err != nil {
		_ = lambdas.Close()
		return err
	}
	keys, err := rt.apiKeys(svc)
	if err != nil {
		_ = lambdas.Close()
		return err
	}
	ln, err := net.Listen("tcp", o.apiAddr)
	if err != nil {
		_ = lambdas.Close()
		return fmt.Errorf("listen on --api-addr %s: %w", o.apiAddr, err)
	}
	s.api, s.lambdas, s.apiKeys = rt, lambdas, keys
	s.apiURL = endpointURL("http://"+ln.Addr().String(), svc.Stage)
	s.apiHTTP = &http.Server{
		Handler:           gw,
		ReadHeaderTimeout: 10 * time.Second,
		// The body may be 10 MB and the integration may take 29 s.
		ReadTimeout:    60 * time.Second,
		WriteTimeout:   gateway.DefaultIntegrationTimeout + 30*time.Second,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	s.apiDone = make(chan error, 1)
	go func() { s.apiDone <- s.apiHTTP.Serve(ln) }()
	watchCtx, stop := context.WithCancel(context.Background())
	s.stopWatch = stop
	interval := o.watchInterval
	if interval <= 0 {
		interval = time.Second
	}
	go rt.watch(watchCtx, interval)
	return nil
}

// Close shuts the listeners down gracefully (in-flight requests get up to 10 s) and closes
// the store. Later calls return the first call's result.
func (s *server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *server) close() error {
	s.stopGC()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	if s.api != nil {
		s.stopWatch()
		err = s.apiHTTP.Shutdown(ctx)
		if serr := <-s.apiDone; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		if lerr := s.lambdas.Close(); lerr != nil && err == nil {
			err = lerr
		}
	}
	if herr := s.http.Shutdown(ctx); herr != nil && err == nil {
		err = herr
	}
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	// Mails still being sent get their own timeout; wait for them before the store goes.
	if oerr := s.outbox.Close(); oerr != nil && err == nil {
		err = oerr
	}
	if cerr := s.store.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

// collectGarbage deletes expired refresh tokens and challenge sessions every few minutes.
func collectGarbage(ctx context.Context, st *sqlstore.Store, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := time.Now()
			if _, err := st.DeleteExpiredRefreshTokens(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("expire refresh tokens", "err", err)
			}
			if _, err := st.DeleteExpiredAuthSessions(ctx, now); err != nil && ctx.Err() == nil {
				log.Warn("expire auth sessions", "err", err)
			}
		}
	}
}
