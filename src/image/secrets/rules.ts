/**
 * Built-in secret rules: data, not code. Each rule has lower-case keywords (the file must contain
 * one before the regex runs), a regex, and optionally the capture group that is the secret
 * itself (default: the whole match). Token formats are the vendors' published prefixes and
 * lengths; IDs follow Trivy's builtin rule IDs where the concept is the same.
 */
import type { Severity } from '../../core/finding.ts';

export interface SecretRule {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  keywords: string[];
  regex: RegExp;
  /** Capture group holding the secret; default 0 (the whole match). */
  group?: number;
}

type Row = [id: string, category: string, title: string, severity: Severity, keywords: string[], regex: RegExp, group?: number];

// Common fragments: a quote, an assignment, the end of a token.
const Q = `["'\`]?`;
const ASSIGN = `\\s*(?:=|:|:=|=>|\\?=)\\s*${Q}`;
const END = `(?![A-Za-z0-9_+/=-])`;
/** `<keyword>...= <value>` within one line. */
const kv = (key: string, value: string) => new RegExp(`(?:${key})[\\w.-]{0,20}${Q}${ASSIGN}(${value})${END}`, 'i');

const ROWS: Row[] = [
  // Cloud providers
  ['aws-access-key-id', 'AWS', 'AWS Access Key ID', 'critical', ['akia', 'asia', 'abia', 'acca', 'a3t'], /(?<![A-Z0-9])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])/, 1],
  ['aws-secret-access-key', 'AWS', 'AWS Secret Access Key', 'critical', ['secret', 'aws'], kv('aws_?secret_?(?:access_?)?key|aws_?secret|secret_?access_?key', '[A-Za-z0-9/+=]{40}'), 1],
  ['aws-session-token', 'AWS', 'AWS Session Token', 'high', ['session_token', 'sessiontoken'], kv('aws_?session_?token', '[A-Za-z0-9/+=]{100,}'), 1],
  ['gcp-service-account', 'Google', 'Google (GCP) Service-account', 'critical', ['service_account'], /"type"\s*:\s*"service_account"/],
  ['gcp-api-key', 'Google', 'Google API key', 'high', ['aiza'], /(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/, 1],
  ['gcp-oauth-client-secret', 'Google', 'Google OAuth client secret', 'high', ['gocspx-'], /(GOCSPX-[A-Za-z0-9_-]{28})/, 1],
  ['azure-storage-account-key', 'Azure', 'Azure Storage Account Key', 'critical', ['accountkey'], /AccountKey=([A-Za-z0-9+/]{86}==)/, 1],
  ['azure-sas-token', 'Azure', 'Azure Shared Access Signature Token', 'high', ['sig=', 'sv='], /[?&]sv=\d{4}-\d{2}-\d{2}&[^\s"']*?sig=([A-Za-z0-9%+/]{43,}(?:%3D|=)?)/, 1],
  ['azure-devops-pat', 'Azure', 'Azure DevOps Personal Access Token', 'high', ['azure', 'devops', 'ado'], kv('azure_?devops|ado_?pat|devops_?pat', '[a-z2-7]{52}'), 1],
  ['azure-entra-client-secret', 'Azure', 'Azure Entra ID Client Secret', 'critical', ['q~'], /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/, 1],
  ['azure-container-registry-password', 'Azure', 'Azure Container Registry Password', 'critical', ['azurecr'], /azurecr\.io[^\n]{0,80}?(?:password|passwd|pwd)\s*[=:]\s*["']?([A-Za-z0-9+/]{42}\+ACR[A-Za-z0-9]{6})/i, 1],
  ['azure-app-config-connection-string', 'Azure', 'Azure App Configuration Connection String', 'critical', ['azconfig.io'], /Endpoint=https:\/\/[a-z0-9-]+\.azconfig\.io;Id=[^;\s]+;Secret=([A-Za-z0-9+/]{43}=)/, 1],
  ['azure-ai-services-key', 'Azure', 'Azure AI Services Key', 'high', ['cognitive', 'openai.azure'], kv('(?:cognitive|azure_?openai|ocp-apim-subscription)[_-]?key', '[a-f0-9]{32}'), 1],
  ['alibaba-access-key-id', 'Alibaba', 'Alibaba AccessKey ID', 'high', ['ltai'], /(?<![A-Za-z0-9])(LTAI[A-Za-z0-9]{20})(?![A-Za-z0-9])/, 1],
  ['alibaba-secret-key', 'Alibaba', 'Alibaba Secret Key', 'high', ['alibaba', 'aliyun'], kv('(?:alibaba|aliyun)[_-]?(?:secret|access)[_-]?key(?:[_-]?secret)?', '[A-Za-z0-9]{30}'), 1],
  ['digitalocean-pat', 'DigitalOcean', 'DigitalOcean personal access token', 'critical', ['dop_v1_'], /(dop_v1_[a-f0-9]{64})/, 1],
  ['digitalocean-oauth-token', 'DigitalOcean', 'DigitalOcean OAuth token', 'critical', ['doo_v1_'], /(doo_v1_[a-f0-9]{64})/, 1],
  ['ibm-cloud-api-key', 'IBM', 'IBM Cloud API key', 'high', ['ibm'], kv('ibm(?:cloud)?[_-]?api[_-]?key', '[A-Za-z0-9_-]{44}'), 1],
  ['heroku-api-key', 'Heroku', 'Heroku API Key', 'high', ['heroku'], kv('heroku', '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}'), 1],
  ['cloudflare-api-token', 'Cloudflare', 'Cloudflare API token', 'high', ['cloudflare', 'cf_api'], kv('cloudflare[_-]?(?:api)?[_-]?(?:token|key)|cf_api_token', '[A-Za-z0-9_-]{40}'), 1],
  ['scaleway-secret-key', 'Scaleway', 'Scaleway secret key', 'high', ['scw'], kv('scw[_-]?secret[_-]?key', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'), 1],
  // Version control and CI
  ['github-pat', 'GitHub', 'GitHub Personal Access Token', 'critical', ['ghp_'], /(ghp_[0-9a-zA-Z]{36})(?![0-9a-zA-Z])/, 1],
  ['github-oauth', 'GitHub', 'GitHub OAuth Access Token', 'critical', ['gho_'], /(gho_[0-9a-zA-Z]{36})(?![0-9a-zA-Z])/, 1],
  ['github-app-token', 'GitHub', 'GitHub App Token', 'critical', ['ghu_', 'ghs_'], /((?:ghu|ghs)_[0-9a-zA-Z]{36})(?![0-9a-zA-Z])/, 1],
  ['github-refresh-token', 'GitHub', 'GitHub Refresh Token', 'critical', ['ghr_'], /(ghr_[0-9a-zA-Z]{76})(?![0-9a-zA-Z])/, 1],
  ['github-fine-grained-pat', 'GitHub', 'GitHub Fine-grained personal access tokens', 'critical', ['github_pat_'], /(github_pat_[a-zA-Z0-9]{22}_[a-zA-Z0-9]{59})/, 1],
  ['gitlab-pat', 'GitLab', 'GitLab Personal Access Token', 'critical', ['glpat-'], /(glpat-[0-9a-zA-Z_-]{20})(?![0-9a-zA-Z_-])/, 1],
  ['gitlab-pipeline-trigger-token', 'GitLab', 'GitLab pipeline trigger token', 'high', ['glptt-'], /(glptt-[0-9a-f]{40})/, 1],
  ['gitlab-runner-registration-token', 'GitLab', 'GitLab runner registration token', 'high', ['gr1348941'], /(GR1348941[0-9a-zA-Z_-]{20})/, 1],
  ['gitlab-deploy-token', 'GitLab', 'GitLab deploy token', 'high', ['gldt-'], /(gldt-[0-9a-zA-Z_-]{20})/, 1],
  ['bitbucket-client-id', 'Bitbucket', 'Bitbucket client ID', 'high', ['bitbucket'], kv('bitbucket[_-]?(?:client[_-]?)?id', '[a-z0-9]{32}'), 1],
  ['bitbucket-client-secret', 'Bitbucket', 'Bitbucket client secret', 'high', ['bitbucket'], kv('bitbucket[_-]?(?:client[_-]?)?secret', '[a-z0-9_-]{64}'), 1],
  ['circleci-token', 'CircleCI', 'CircleCI personal token', 'high', ['circle'], kv('circle(?:ci)?[_-]?token', '[0-9a-f]{40}'), 1],
  ['travisci-token', 'Travis CI', 'Travis CI token', 'high', ['travis'], kv('travis[_-]?(?:ci[_-]?)?token', '[A-Za-z0-9]{22}'), 1],
  ['hashicorp-tf-api-token', 'HashiCorp', 'HashiCorp Terraform user/org API token', 'medium', ['atlasv1'], /([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})/, 1],
  ['vault-service-token', 'HashiCorp', 'HashiCorp Vault service token', 'high', ['hvs.'], /(hvs\.[A-Za-z0-9_-]{90,120})/, 1],
  ['vault-batch-token', 'HashiCorp', 'HashiCorp Vault batch token', 'high', ['hvb.'], /(hvb\.[A-Za-z0-9_-]{138,300})/, 1],
  ['pulumi-api-token', 'Pulumi', 'Pulumi API token', 'high', ['pul-'], /(pul-[a-f0-9]{40})/, 1],
  ['doppler-api-token', 'Doppler', 'Doppler API token', 'medium', ['dp.pt.'], /(dp\.pt\.[a-zA-Z0-9]{43})/, 1],
  ['buildkite-agent-token', 'Buildkite', 'Buildkite agent token', 'high', ['bkua_'], /(bkua_[a-f0-9]{40})/, 1],
  // Keys and certificates
  ['private-key', 'AsymmetricPrivateKey', 'Asymmetric Private Key', 'high', ['-----begin'], /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)/],
  ['putty-private-key', 'AsymmetricPrivateKey', 'PuTTY private key', 'high', ['putty-user-key-file'], /PuTTY-User-Key-File-\d: [\s\S]{0,200}?Private-Lines: \d+/],
  ['age-secret-key', 'Age', 'Age secret key', 'medium', ['age-secret-key-1'], /(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})/, 1],
  ['jwt-token', 'JWT', 'JWT token', 'medium', ['eyj'], /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})(?![A-Za-z0-9_-])/, 1],
  // Chat and collaboration
  ['slack-access-token', 'Slack', 'Slack token', 'high', ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'], /(xox[baprs]-(?:\d+-){1,3}[0-9a-zA-Z]{10,48})/, 1],
  ['slack-config-token', 'Slack', 'Slack configuration token', 'high', ['xoxe.xox'], /(xoxe\.xox[bp]-\d-[A-Z0-9]{163,166})/, 1],
  ['slack-web-hook', 'Slack', 'Slack Webhook', 'medium', ['hooks.slack.com'], /(https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9+/]{43,56})/, 1],
  ['discord-api-token', 'Discord', 'Discord API key', 'medium', ['discord'], kv('discord[_-]?(?:api[_-]?)?(?:token|key)', '[a-h0-9]{64}'), 1],
  ['discord-client-id', 'Discord', 'Discord client ID', 'medium', ['discord'], kv('discord[_-]?client[_-]?id', '[0-9]{18}'), 1],
  ['discord-client-secret', 'Discord', 'Discord client secret', 'medium', ['discord'], kv('discord[_-]?client[_-]?secret', '[a-z0-9=_-]{32}'), 1],
  ['discord-webhook', 'Discord', 'Discord webhook', 'medium', ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'], /(https:\/\/(?:discord|discordapp)\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{60,})/, 1],
  ['microsoft-teams-webhook', 'Microsoft', 'Microsoft Teams webhook', 'medium', ['webhook.office.com'], /(https:\/\/[a-z0-9]+\.webhook\.office\.com\/webhookb2\/[a-z0-9@-]{40,}\/IncomingWebhook\/[a-z0-9]{32}\/[a-z0-9-]{36})/i, 1],
  ['telegram-bot-token', 'Telegram', 'Telegram bot token', 'medium', ['telegram', 'bot'], kv('telegram[_-]?(?:bot[_-]?)?token|tg[_-]?bot[_-]?token', '\\d{8,10}:[A-Za-z0-9_-]{35}'), 1],
  ['twilio-api-key', 'Twilio', 'Twilio API Key', 'medium', ['sk'], /(?<![A-Za-z0-9])(SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/, 1],
  ['mailchimp-api-key', 'Mailchimp', 'Mailchimp API key', 'medium', ['-us'], /(?<![a-f0-9])([a-f0-9]{32}-us\d{1,2})(?![0-9])/, 1],
  ['mailgun-token', 'Mailgun', 'Mailgun private API token', 'medium', ['key-'], kv('mailgun', 'key-[a-f0-9]{32}'), 1],
  ['mailgun-signing-key', 'Mailgun', 'Mailgun webhook signing key', 'medium', ['mailgun'], kv('mailgun', '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}'), 1],
  ['sendgrid-api-token', 'SendGrid', 'SendGrid API token', 'medium', ['sg.'], /(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})/, 1],
  ['sendinblue-api-token', 'Sendinblue', 'Sendinblue API token', 'low', ['xkeysib-'], /(xkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16})/, 1],
  ['postman-api-token', 'Postman', 'Postman API token', 'medium', ['pmak-'], /(PMAK-[a-f0-9]{24}-[a-f0-9]{34})/i, 1],
  ['atlassian-api-token', 'Atlassian', 'Atlassian API token', 'high', ['atlassian', 'jira', 'confluence'], kv('atlassian|jira|confluence', '[a-zA-Z0-9]{24}'), 1],
  ['atlassian-api-token-v2', 'Atlassian', 'Atlassian API token (ATATT)', 'high', ['atatt3'], /(ATATT3[A-Za-z0-9_=-]{180,190})/, 1],
  ['asana-client-id', 'Asana', 'Asana Client ID', 'medium', ['asana'], kv('asana[_-]?(?:client[_-]?)?id', '[0-9]{16}'), 1],
  ['asana-client-secret', 'Asana', 'Asana Client Secret', 'medium', ['asana'], kv('asana[_-]?(?:client[_-]?)?secret', '[a-z0-9]{32}'), 1],
  ['linear-api-token', 'Linear', 'Linear API token', 'medium', ['lin_api_'], /(lin_api_[a-zA-Z0-9]{40})/, 1],
  ['linear-client-secret', 'Linear', 'Linear client secret/ID', 'medium', ['linear'], kv('linear[_-]?(?:client[_-]?)?(?:secret|id)', '[a-f0-9]{32}'), 1],
  ['intercom-api-token', 'Intercom', 'Intercom API token', 'low', ['intercom'], kv('intercom[_-]?(?:api[_-]?)?(?:token|key)', '[a-z0-9=_]{60}'), 1],
  ['intercom-client-secret', 'Intercom', 'Intercom client secret/ID', 'low', ['intercom'], kv('intercom[_-]?(?:client[_-]?)?(?:secret|id)', '[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}'), 1],
  ['hubspot-api-token', 'HubSpot', 'HubSpot API token', 'low', ['hubspot'], kv('hubspot', '[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}'), 1],
  ['hubspot-private-app-token', 'HubSpot', 'HubSpot private app token', 'medium', ['pat-na1-', 'pat-eu1-'], /(pat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})/, 1],
  ['typeform-api-token', 'Typeform', 'Typeform API token', 'low', ['tfp_'], /(tfp_[a-zA-Z0-9_.=-]{59})/, 1],
  ['dropbox-api-secret', 'Dropbox', 'Dropbox API secret/key', 'high', ['dropbox'], kv('dropbox[_-]?(?:api[_-]?)?(?:secret|key)', '[a-z0-9]{15}'), 1],
  ['dropbox-short-lived-api-token', 'Dropbox', 'Dropbox short lived API token', 'high', ['sl.'], /(?<![A-Za-z0-9])(sl\.[A-Za-z0-9_-]{135,140})/, 1],
  ['dropbox-long-lived-api-token', 'Dropbox', 'Dropbox long lived API token', 'high', ['dropbox'], kv('dropbox', '[a-z0-9]{11}AAAAAAAAAA[a-z0-9_=-]{43}'), 1],
  ['frameio-api-token', 'Frame.io', 'Frame.io API token', 'low', ['fio-u-'], /(fio-u-[A-Za-z0-9_=-]{64})/, 1],
  ['figma-pat', 'Figma', 'Figma personal access token', 'medium', ['figd_'], /(figd_[A-Za-z0-9_-]{40})/, 1],
  ['notion-api-token', 'Notion', 'Notion integration token', 'medium', ['secret_', 'ntn_'], /((?:secret_[A-Za-z0-9]{43})|(?:ntn_[0-9]{11}[A-Za-z0-9]{35}))(?![A-Za-z0-9])/, 1],
  ['airtable-api-key', 'Airtable', 'Airtable personal access token', 'medium', ['pat'], /(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})/, 1],
  // Payments and commerce
  ['stripe-secret-token', 'Stripe', 'Stripe Secret Key', 'critical', ['sk_live_', 'sk_test_', 'rk_live_'], /((?:sk|rk)_(?:live|test)_[0-9a-zA-Z]{24,99})/, 1],
  ['stripe-publishable-token', 'Stripe', 'Stripe Publishable Key', 'low', ['pk_live_', 'pk_test_'], /(pk_(?:live|test)_[0-9a-zA-Z]{24,99})/, 1],
  ['stripe-webhook-secret', 'Stripe', 'Stripe webhook signing secret', 'high', ['whsec_'], /(whsec_[A-Za-z0-9]{32,})/, 1],
  ['square-access-token', 'Square', 'Square access token', 'high', ['sq0atp-', 'eaaa'], /((?:sq0atp-[0-9A-Za-z_-]{22})|(?:EAAA[A-Za-z0-9_-]{60}))/, 1],
  ['square-oauth-secret', 'Square', 'Square OAuth secret', 'high', ['sq0csp-'], /(sq0csp-[0-9A-Za-z_-]{43})/, 1],
  ['paypal-braintree-token', 'PayPal', 'PayPal Braintree access token', 'high', ['access_token$production$'], /(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})/, 1],
  ['shopify-token', 'Shopify', 'Shopify token', 'high', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], /(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})/, 1],
  ['flutterwave-public-key', 'Flutterwave', 'Flutterwave public/secret key', 'medium', ['flwpubk_test', 'flwseck_test', 'flwpubk-', 'flwseck-'], /(FLW(?:PUB|SEC)K(?:_TEST)?-[a-h0-9]{32}-X)/i, 1],
  ['flutterwave-enc-key', 'Flutterwave', 'Flutterwave encrypted key', 'medium', ['flwseck_test'], /(FLWSECK_TEST[a-h0-9]{12})/, 1],
  ['gocardless-api-token', 'GoCardless', 'GoCardless API token', 'medium', ['live_', 'sandbox_'], kv('gocardless', '(?:live|sandbox)_[a-zA-Z0-9_=-]{40}'), 1],
  ['finicity-client-secret', 'Finicity', 'Finicity client secret', 'medium', ['finicity'], kv('finicity[_-]?(?:client[_-]?)?secret', '[a-z0-9]{20}'), 1],
  ['finicity-api-token', 'Finicity', 'Finicity API token', 'medium', ['finicity'], kv('finicity[_-]?(?:api[_-]?)?token', '[a-f0-9]{32}'), 1],
  ['duffel-api-token', 'Duffel', 'Duffel API token', 'low', ['duffel_'], /(duffel_(?:test|live)_[a-zA-Z0-9_=-]{43})/, 1],
  ['easypost-api-token', 'EasyPost', 'EasyPost API token', 'low', ['ezak'], /(EZ[AT]K[a-zA-Z0-9]{54})/, 1],
  ['shippo-api-token', 'Shippo', 'Shippo API token', 'low', ['shippo_'], /(shippo_(?:live|test)_[a-f0-9]{40})/, 1],
  ['lob-api-key', 'Lob', 'Lob API Key', 'low', ['live_', 'test_'], kv('lob', '(?:live|test)_[a-f0-9]{35}'), 1],
  ['lob-pub-api-key', 'Lob', 'Lob Publishable API Key', 'low', ['_pub_'], kv('lob', '(?:test|live)_pub_[a-f0-9]{31}'), 1],
  // Package managers and registries
  ['npm-access-token', 'npm', 'npm access token', 'critical', ['npm_'], /(?<![A-Za-z0-9])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/, 1],
  ['npmrc-auth-token', 'npm', 'npm registry auth token in .npmrc', 'high', ['_authtoken'], /_authToken\s*=\s*([A-Za-z0-9_.+/=-]{20,})/i, 1],
  ['pypi-upload-token', 'PyPI', 'PyPI upload token', 'high', ['pypi-ageichlwas5vcmc'], /(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/, 1],
  ['rubygems-api-token', 'RubyGems', 'Rubygem API token', 'medium', ['rubygems_'], /(rubygems_[a-f0-9]{48})/, 1],
  ['nuget-api-key', 'NuGet', 'NuGet API key', 'high', ['oy2'], /(?<![a-z0-9])(oy2[a-z0-9]{43})(?![a-z0-9])/, 1],
  ['clojars-api-token', 'Clojars', 'Clojars API token', 'medium', ['clojars_'], /(CLOJARS_[a-z0-9]{60})/i, 1],
  ['private-packagist-token', 'Packagist', 'Private Packagist token', 'high', ['packagist_'], /(packagist_[ou][ru]t_[a-f0-9]{68})/, 1],
  ['dockerconfig-secret', 'Docker', 'Dockerconfig secret exposed', 'high', ['auths'], /"auths"\s*:\s*\{[^}]*?"auth"\s*:\s*"([A-Za-z0-9+/=]{8,})"/, 1],
  ['dockerhub-pat', 'Docker', 'Docker Hub personal access token', 'high', ['dckr_pat_'], /(dckr_pat_[A-Za-z0-9_-]{27})/, 1],
  ['artifactory-api-key', 'JFrog', 'JFrog Artifactory API key', 'high', ['akcp'], /(?<![A-Za-z0-9+/])(AKCp[A-Za-z0-9]{69})(?![A-Za-z0-9+/])/, 1],
  ['maven-settings-password', 'Maven', 'Maven settings.xml password', 'high', ['<password>'], /<server>[\s\S]{0,500}?<password>([^<${][^<]{3,})<\/password>/, 1],
  ['maven-settings-passphrase', 'Maven', 'Maven settings.xml passphrase', 'high', ['<passphrase>'], /<passphrase>([^<${][^<]{3,})<\/passphrase>/, 1],
  ['maven-settings-security-master', 'Maven', 'Maven settings-security.xml master password', 'high', ['<master>'], /<master>(\{[A-Za-z0-9+/=]{20,}\})<\/master>/, 1],
  // AI and data platforms
  ['openai-legacy-api-key', 'OpenAI', 'OpenAI Legacy User API Key', 'high', ['t3blbkfj'], /(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})/, 1],
  ['openai-project-api-key', 'OpenAI', 'OpenAI Project API Key', 'critical', ['sk-proj-'], /(sk-proj-[A-Za-z0-9_-]{40,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})/, 1],
  ['openai-service-account-key', 'OpenAI', 'OpenAI Service Account Key', 'critical', ['sk-svcacct-'], /(sk-svcacct-[A-Za-z0-9_-]{40,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})/, 1],
  ['openai-admin-api-key', 'OpenAI', 'OpenAI Admin API Key', 'critical', ['sk-admin-'], /(sk-admin-[A-Za-z0-9_-]{40,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})/, 1],
  ['openai-service-api-key', 'OpenAI', 'OpenAI Service API Key', 'high', ['sk-None-'.toLowerCase()], /(sk-None-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})/, 1],
  ['anthropic-api-key', 'Anthropic', 'Anthropic API key', 'critical', ['sk-ant-'], /(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,100}AA)/, 1],
  ['hugging-face-access-token', 'HuggingFace', 'Hugging Face Access Token', 'critical', ['hf_'], /(?<![A-Za-z0-9])(hf_[A-Za-z]{34})(?![A-Za-z0-9])/, 1],
  ['databricks-api-token', 'Databricks', 'Databricks API token', 'medium', ['dapi'], /(?<![A-Za-z0-9])(dapi[a-h0-9]{32})(?![A-Za-z0-9])/, 1],
  ['planetscale-password', 'PlanetScale', 'PlanetScale password', 'medium', ['pscale_pw_'], /(pscale_pw_[A-Za-z0-9_.=-]{43})/, 1],
  ['planetscale-api-token', 'PlanetScale', 'PlanetScale API token', 'medium', ['pscale_tkn_'], /(pscale_tkn_[A-Za-z0-9_.=-]{43})/, 1],
  ['grafana-api-token', 'Grafana', 'Grafana API token', 'medium', ['eyjrijoi'], /(eyJrIjoi[A-Za-z0-9]{70,400}={0,2})/, 1],
  ['grafana-cloud-api-token', 'Grafana', 'Grafana Cloud API token', 'medium', ['glc_'], /(glc_[A-Za-z0-9+/]{32,400}={0,2})/, 1],
  ['grafana-service-account-token', 'Grafana', 'Grafana service account token', 'medium', ['glsa_'], /(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})/, 1],
  ['new-relic-user-api-key', 'New Relic', 'New Relic user API Key', 'medium', ['nrak-'], /(NRAK-[A-Z0-9]{27})/, 1],
  ['new-relic-user-api-id', 'New Relic', 'New Relic user API ID', 'medium', ['newrelic', 'new_relic'], kv('new_?relic[_-]?(?:user[_-]?)?(?:api[_-]?)?id', '[A-Z0-9]{64}'), 1],
  ['new-relic-browser-api-token', 'New Relic', 'New Relic ingest browser API token', 'medium', ['nrjs-'], /(NRJS-[a-f0-9]{19})/, 1],
  ['new-relic-insert-key', 'New Relic', 'New Relic insert key', 'medium', ['nrii-'], /(NRII-[A-Za-z0-9_-]{32})/, 1],
  ['datadog-api-key', 'Datadog', 'Datadog API key', 'medium', ['datadog', 'dd_api_key'], kv('datadog[_-]?api[_-]?key|dd_api_key', '[a-f0-9]{32}'), 1],
  ['dynatrace-api-token', 'Dynatrace', 'Dynatrace API token', 'medium', ['dt0c01.'], /(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})/, 1],
  ['sentry-auth-token', 'Sentry', 'Sentry auth token', 'medium', ['sntrys_', 'sntryu_'], /((?:sntrys_eyJ[A-Za-z0-9+/=]{60,})|(?:sntryu_[a-f0-9]{64}))/, 1],
  ['fastly-api-token', 'Fastly', 'Fastly API token', 'medium', ['fastly'], kv('fastly', '[A-Za-z0-9_=-]{32}'), 1],
  ['mapbox-api-token', 'Mapbox', 'Mapbox API token', 'medium', ['sk.eyj'], /(sk\.eyJ[A-Za-z0-9_-]{60,}\.[A-Za-z0-9_-]{20,})/, 1],
  ['messagebird-api-token', 'MessageBird', 'MessageBird API token', 'medium', ['messagebird', 'message_bird', 'message-bird'], kv('message[_-]?bird[_-]?(?:api[_-]?)?(?:token|key)', '[a-z0-9]{25}'), 1],
  ['messagebird-client-id', 'MessageBird', 'MessageBird API client ID', 'medium', ['messagebird', 'message_bird', 'message-bird'], kv('message[_-]?bird[_-]?client[_-]?id', '[a-h0-9]{8}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{4}-[a-h0-9]{12}'), 1],
  ['beamer-api-token', 'Beamer', 'Beamer API token', 'low', ['b_'], kv('beamer', 'b_[a-z0-9=_-]{44}'), 1],
  ['contentful-delivery-api-token', 'Contentful', 'Contentful delivery API token', 'low', ['contentful'], kv('contentful', '[a-z0-9=_-]{43}'), 1],
  ['ionic-api-token', 'Ionic', 'Ionic API token', 'medium', ['ion_'], /(ion_[a-z0-9]{42})/, 1],
  ['twitch-api-token', 'Twitch', 'Twitch API token', 'low', ['twitch'], kv('twitch[_-]?(?:api[_-]?)?token', '[a-z0-9]{30}'), 1],
  ['twitter-token', 'Twitter', 'Twitter token', 'low', ['twitter'], kv('twitter[_-]?(?:api[_-]?)?(?:token|secret|key)', '[a-zA-Z0-9]{35,44}'), 1],
  ['twitter-bearer-token', 'Twitter', 'Twitter bearer token', 'medium', ['aaaaaaaaaaaaaaaaaaaaa'], /(A{22}[A-Za-z0-9%]{80,100})/, 1],
  ['facebook-token', 'Facebook', 'Facebook token', 'low', ['facebook'], kv('facebook[_-]?(?:app[_-]?)?(?:secret|token)', '[a-f0-9]{32}'), 1],
  ['facebook-access-token', 'Facebook', 'Facebook access token', 'high', ['eaacede'], /(EAACEdEose0cBA[0-9A-Za-z]+)/, 1],
  ['linkedin-client-secret', 'LinkedIn', 'LinkedIn Client secret', 'low', ['linkedin'], kv('linkedin[_-]?(?:client[_-]?)?secret', '[a-z0-9]{16}'), 1],
  ['linkedin-client-id', 'LinkedIn', 'LinkedIn Client ID', 'low', ['linkedin'], kv('linkedin[_-]?(?:client[_-]?)?id', '[a-z0-9]{14}'), 1],
  ['adobe-client-id', 'Adobe', 'Adobe Client ID (Oauth Web)', 'low', ['adobe'], kv('adobe[_-]?(?:client[_-]?)?id', '[a-f0-9]{32}'), 1],
  ['adobe-client-secret', 'Adobe', 'Adobe Client Secret', 'low', ['p8e-'], /(p8e-[a-zA-Z0-9]{32})/i, 1],
  ['symfony-default-secret', 'Symfony', 'Symfony Default Secret', 'high', ['app_secret'], /APP_SECRET\s*=\s*["']?([a-f0-9]{32})/i, 1],
  ['django-secret-key', 'Django', 'Django SECRET_KEY', 'high', ['secret_key'], /\bSECRET_KEY\s*=\s*["']((?!django-insecure)[^"'\s]{40,})["']/, 1],
  ['rails-secret-key-base', 'Rails', 'Rails secret_key_base', 'high', ['secret_key_base'], /secret_key_base\s*[:=]\s*["']?([a-f0-9]{64,})/, 1],
  // Databases and connection strings
  ['database-url-password', 'Database', 'Password in a database connection URL', 'high', ['://'], /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver):\/\/[^:@/\s"']{1,64}:([^@/\s"']{4,128})@[^\s"'/]+/i, 1],
  ['generic-password-assignment', 'Generic', 'Hard-coded password', 'medium', ['password', 'passwd'], /(?:^|[\s"'{,;])(?:db_|database_|admin_|root_|mysql_|postgres_|redis_)?pass(?:word|wd)\s*[=:]\s*["']([^"'\s$%{}<>]{8,64})["']/i, 1],
];

export const BUILTIN_SECRET_RULES: readonly SecretRule[] = ROWS.map(([id, category, title, severity, keywords, regex, group]) => ({
  id,
  title,
  severity,
  category,
  keywords: keywords.map((k) => k.toLowerCase()),
  regex,
  ...(group !== undefined && { group }),
}));

/**
 * Paths where matches are noise (Trivy's allow rules: docs, tests, examples, vendored and
 * language standard library trees, system dirs).
 */
export const BUILTIN_ALLOW_PATHS: readonly RegExp[] = [
  /\.dist-info\//,
  /(?:^|\/)tests?\//,
  /(?:^|\/)examples?\//,
  /(?:^|\/)vendor\//,
  /^usr\/(?:share|include|lib\/(?:x86_64|aarch64|i386|arm)[^/]*|libexec)\//,
  /(?:^|\/)python[0-9.]*\/(?:site|dist)-packages\//,
  /^usr\/(?:lib|local\/lib)\/python[0-9.]+\//,
  /(?:^|\/)node_modules\//,
  /(?:^|\/)(?:usr\/local\/go|usr\/lib\/go(?:-[0-9.]+)?)\//,
  /(?:^|\/)(?:gems|specifications)\/[^/]+\/(?:test|spec|docs?)\//,
  /(?:^|\/)locale\//,
  /\.(?:md|markdown|rst|adoc)$/i,
  /(?:^|\/)wp-(?:includes|admin)\//,
  /(?:^|\/)anaconda-post\.log$/,
  /^(?:proc|sys|dev)\//,
  /^var\/lib\/(?:dpkg|apt|rpm|apk)\//,
  /^etc\/ssl\/certs\//,
];
