<?php
// Shared by the PHP-FPM twins of bench/run: the connection, the session check and the layout of
// partnerdesk, written the way a careful PHP page would be (PDO, persistent connection, one query
// per round trip, htmlspecialchars for every value). Each twin sends the same queries as the C
// page and prints the same HTML for the bench user (English, the state bench/run sets up);
// bench/run compares the two bodies before measuring. Not a part of the portal.
declare(strict_types=1);

// The app's session query (src/db/accounts.c, db_session_load), word for word.
const PD_SESSION_SQL =
    "SELECT u.id, COALESCE(u.tenant_id,0), u.email, u.display_name, " .
    "u.email_verified_at IS NOT NULL, u.roles, COALESCE(t.name,''), COALESCE(t.country,''), " .
    "TIMESTAMPDIFF(SECOND, s.last_seen, NOW(3)), COALESCE(g.partner_id,''), " .
    "TIMESTAMPDIFF(SECOND, s.created_at, NOW(3)), COALESCE(c.status,''), COALESCE(c.request_kind,'') " .
    "FROM sessions s JOIN users u ON u.id=s.user_id LEFT JOIN tenants t ON t.id=u.tenant_id " .
    "LEFT JOIN partner_accounts g ON g.live_pga_tenant=u.tenant_id " .
    "LEFT JOIN csp_applications c ON c.tenant_id=u.tenant_id " .
    "WHERE s.token_hash=? AND u.status='active'";
const PD_SESSION_COLS = ['verified' => 4, 'roles' => 5, 'tenant_name' => 6, 'tenant_country' => 7,
    'idle' => 8, 'pga_partner_id' => 9, 'age' => 10, 'csp_status' => 11, 'csp_request' => 12];
const PD_IDLE_SECONDS = 1800;
const PD_MAX_SECONDS = 43200; // src/domain/limits.h SESSION_MAX_SECONDS (session_check)

// The partner account columns of src/db/partners.c (ACCOUNT_COLS).
const PD_ACCOUNT_COLS =
    "p.id, p.partner_id, p.tenant_id, p.kind, p.name, p.country, p.address_line1, " .
    "p.address_line2, p.city, p.region, p.postal_code, p.phone, p.website, p.contact_name, " .
    "p.contact_email, p.status, DATE_FORMAT(p.created_at,'%Y-%m-%d %H:%i:%s'), " .
    "COALESCE(DATE_FORMAT(p.deleted_at,'%Y-%m-%d'),'') ";
const PD_ACCOUNT_KEYS = ['id', 'partner_id', 'tenant_id', 'kind', 'name', 'country', 'address_line1',
    'address_line2', 'city', 'region', 'postal_code', 'phone', 'website', 'contact_name',
    'contact_email', 'status', 'created_at', 'deleted_at'];
// The list of src/db/partners.c (db_partner_accounts): with links, one join and one sub-select.
const PD_ACCOUNTS_SQL = 'SELECT ' . PD_ACCOUNT_COLS . 'FROM partner_accounts p ' .
    "WHERE p.tenant_id=? AND (p.status<>'deleted' OR ?)";
const PD_ACCOUNTS_LINKS_SQL = 'SELECT ' . PD_ACCOUNT_COLS .
    ", (SELECT GROUP_CONCAT(l.purpose) FROM partner_id_links l WHERE l.partner_account_id=p.id), " .
    "c.status FROM partner_accounts p LEFT JOIN csp_applications c ON c.partner_account_id=p.id " .
    "WHERE p.tenant_id=? AND (p.status<>'deleted' OR ?)";

// The roles in the order of enum role (src/http/request.h), with their English labels.
const PD_ROLES = ['global_admin' => 'Global admin', 'account_admin' => 'Account admin',
    'profile_admin' => 'Profile admin', 'referral_admin' => 'Referral admin', 'member' => 'Member',
    'reviewer' => 'Reviewer', 'staff_admin' => 'Staff admin'];

// Escaping as src/view/template.c does it: &, < and > in text, and " too in attribute values.
function h(?string $s): string
{
    return htmlspecialchars($s ?? '', ENT_NOQUOTES | ENT_SUBSTITUTE, 'UTF-8');
}

function a(?string $s): string
{
    return htmlspecialchars($s ?? '', ENT_COMPAT | ENT_SUBSTITUTE, 'UTF-8');
}

function pd_db(): PDO
{
    static $db = null;
    if ($db === null) {
        $db = new PDO('mysql:unix_socket=' . getenv('PD_DB_SOCKET') . ';dbname=partnerdesk;charset=utf8mb4',
            'root', null, [PDO::ATTR_PERSISTENT => true, PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
                PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_NUM]);
    }
    return $db;
}

/** Rows of a query with parameters (one round trip: PDO emulates the prepare). */
function pd_rows(string $sql, array $params): array
{
    $st = pd_db()->prepare($sql);
    $st->execute($params);
    return $st->fetchAll();
}

function pd_account(array $row): array
{
    $p = array_combine(PD_ACCOUNT_KEYS, array_slice($row, 0, count(PD_ACCOUNT_KEYS)));
    $purposes = explode(',', (string)($row[count(PD_ACCOUNT_KEYS)] ?? ''));
    $csp = $row[count(PD_ACCOUNT_KEYS) + 1] ?? null;
    $p['linked_csp'] = in_array('csp', $purposes, true) ||
        in_array($csp, ['pending_review', 'info_requested', 'approved', 'active'], true);
    return $p;
}

/** The tenant's IDs as db_partner_accounts gives them: live first, the PGA first, oldest first. */
function pd_accounts(int $tenant_id, bool $with_deleted, bool $with_links): array
{
    $rows = array_map('pd_account', pd_rows($with_links ? PD_ACCOUNTS_LINKS_SQL : PD_ACCOUNTS_SQL,
        [$tenant_id, (int)$with_deleted]));
    usort($rows, fn($a, $b) => [$a['status'] === 'deleted', $a['kind'] !== 'global', (int)$a['id']]
        <=> [$b['status'] === 'deleted', $b['kind'] !== 'global', (int)$b['id']]);
    return $rows;
}

function pd_countries(): array
{
    static $c = null;
    return $c ??= require getenv('PD_COUNTRIES');
}

function pd_country(string $code): string
{
    return pd_countries()[$code] ?? $code;
}

function pd_b64url(string $bin): string
{
    return rtrim(strtr(base64_encode($bin), '+/', '-_'), '=');
}

function pd_redirect(string $to): never
{
    header('Status: 303 See Other');
    header('Location: ' . $to);
    exit;
}

/** The session check of src/app/session.c and the router: the signed-in user, or a 303 to
 * /signin. $access is 'user', 'partner', 'admin' or 'global_admin'. */
function pd_session(string $access): array
{
    $token = $_COOKIE['pd_session'] ?? '';
    if (!preg_match('/^[A-Za-z0-9_-]{40,64}$/D', $token)) {
        pd_redirect('/signin');
    }
    $hash = hash('sha256', $token, true);
    $rows = pd_rows(PD_SESSION_SQL, [$hash]);
    if (!$rows) {
        pd_redirect('/signin');
    }
    $r = $rows[0];
    $idle = (int)$r[PD_SESSION_COLS['idle']];
    $age = (int)$r[PD_SESSION_COLS['age']];
    if ($age >= PD_MAX_SECONDS || $idle > PD_IDLE_SECONDS) {
        pd_rows('DELETE FROM sessions WHERE token_hash=?', [$hash]);
        pd_redirect('/signin');
    }
    if ($idle >= 60) {
        pd_rows('UPDATE sessions SET last_seen=NOW(3) WHERE token_hash=? ' .
            'AND last_seen < NOW(3) - INTERVAL ? SECOND', [$hash, 60]);
    }
    $roles = array_flip(explode(',', (string)$r[PD_SESSION_COLS['roles']]));
    $u = ['id' => (int)$r[0], 'tenant_id' => (int)$r[1], 'email' => $r[2], 'display_name' => $r[3],
        'verified' => $r[PD_SESSION_COLS['verified']] == 1, 'roles' => $roles,
        'tenant_name' => $r[PD_SESSION_COLS['tenant_name']],
        'tenant_country' => $r[PD_SESSION_COLS['tenant_country']],
        'pga_partner_id' => $r[PD_SESSION_COLS['pga_partner_id']],
        'csrf' => pd_b64url(hash_hmac('sha256', 'csrf|' . $token, hex2bin(getenv('PD_CSRF_KEY')), true))];
    $u['staff'] = isset($roles['reviewer']) || isset($roles['staff_admin']);
    $u['admin'] = isset($roles['global_admin']) || isset($roles['account_admin']);
    $u['global_admin'] = isset($roles['global_admin']);
    // The navigation's count of pending actions (csp_waiting): the agreement once approved, or
    // the document or questionnaire staff asked for.
    $cs = $r[PD_SESSION_COLS['csp_status']];
    $u['pending'] = !$u['staff'] && $u['global_admin'] && ($cs === 'approved' ||
        ($cs === 'info_requested' && $r[PD_SESSION_COLS['csp_request']] !== '')) ? 1 : 0;
    $ok = match ($access) {
        'user' => true,
        'partner' => $u['tenant_id'] !== 0,
        'admin' => $u['tenant_id'] !== 0 && $u['admin'],
        'global_admin' => $u['tenant_id'] !== 0 && $u['global_admin'],
    };
    if (!$ok) {
        http_response_code(404);
        exit;
    }
    header("Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; " .
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; " .
        "object-src 'none'");
    header('X-Content-Type-Options: nosniff');
    header('X-Frame-Options: DENY');
    header('Referrer-Policy: same-origin');
    header('Cache-Control: no-store');
    header('Content-Language: en');
    header('Vary: Cookie, Accept-Language');
    return $u;
}

/** The layout of www/templates/layout.xhtml up to the start of <main>. */
function pd_head(array $u, string $title, string $path): void
{
    $partner = !$u['staff'];
    header('Content-Type: text/html; charset=utf-8');
    ob_start();
    ?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?= h($title) ?></title>
<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">
<link rel="stylesheet" href="/static/app.css">
<link rel="stylesheet" href="/static/print.css" media="print">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/"><img src="/static/brand.svg" alt="" width="32" height="32"><span>partnerdesk</span></a>
  <nav aria-label="Main">
    <ul>
      <li><a href="/dashboard">Dashboard</a></li>
      <?php if ($partner) { ?><li><a href="/settings">Settings</a></li><?php } ?>

      <?php if ($partner) { ?><li><a href="/actions"><span>Pending actions</span><?php if ($u['pending']) { ?><span> <span class="count" data-pending-count="<?= $u['pending'] ?>"><?= $u['pending'] ?></span></span><?php } ?></a></li><?php } ?>

      <?php if ($u['staff']) { ?><li><a href="/review">Applications</a></li><?php } ?>

      <?php if ($u['staff']) { ?><li><a href="/staff/audit">Audit log</a></li><?php } ?>

      
      
    </ul>
  </nav>
  <div class="who">
    <span class="user"><?= h($u['display_name']) ?></span>
    <form method="post" action="/signout" class="inline">
      <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
      <button type="submit" class="link">Sign out</button>
    </form>
  </div>
  <a class="lang" href="<?= a($path) ?>?lang=fr" hreflang="fr" lang="fr">Français</a>
</header>
<main id="main"><?php
}

function pd_foot(): void
{
    ?></main>
<footer class="bottom">
  <p>partnerdesk — partner portal</p>
  <nav aria-label="Help and legal information">
    <ul>
      <li><a href="/help">Help</a></li>
      <li><a href="/legal-notice">Legal notice</a></li>
    </ul>
  </nav>
</footer>
</body>
</html>
<?php
    header('Content-Length: ' . ob_get_length());
    ob_end_flush();
}

// The application columns of src/db/csp.c (APP_COLS), with the FROM clause.
const PD_APP_SQL =
    "SELECT c.id, c.tenant_id, COALESCE(c.partner_account_id,0), c.status, c.step, " .
    "COALESCE(c.company_source,''), COALESCE(c.duns,''), COALESCE(c.dnb_name,''), " .
    "COALESCE(c.dnb_match_grade,''), COALESCE(c.dnb_status,''), COALESCE(c.dnb_confidence,0), " .
    "c.legal_name, c.address_line1, c.address_line2, c.city, c.region, c.postal_code, " .
    "c.country, c.address_verdict, COALESCE(c.address_choice,''), " .
    "COALESCE(c.entered_address,''), COALESCE(c.suggested_address,''), c.contact_name, " .
    "c.contact_email, c.contact_phone, c.support_email, c.support_phone, c.model, " .
    "COALESCE(c.billing_day,''), COALESCE(c.tax_id,''), c.lang, COALESCE(c.request_kind,''), " .
    "COALESCE(c.request_note,''), COALESCE(c.decision_reason,''), " .
    "COALESCE(DATE_FORMAT(c.submitted_at,'%Y-%m-%d %H:%i'),''), " .
    "COALESCE(DATE_FORMAT(c.decided_at,'%Y-%m-%d %H:%i'),''), " .
    "DATE_FORMAT(c.created_at,'%Y-%m-%d %H:%i'), " .
    "TIMESTAMPDIFF(DAY, COALESCE(c.submitted_at, c.created_at), NOW(3)), " .
    "t.name, t.country, COALESCE(p.partner_id,'') " .
    "FROM csp_applications c JOIN tenants t ON t.id=c.tenant_id " .
    "LEFT JOIN partner_accounts p ON p.id=c.partner_account_id ";
const PD_APP_KEYS = ['id', 'tenant_id', 'partner_account_id', 'status', 'step', 'company_source',
    'duns', 'dnb_name', 'dnb_match_grade', 'dnb_status', 'dnb_confidence', 'legal_name',
    'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country',
    'address_verdict', 'address_choice', 'entered_address', 'suggested_address', 'contact_name',
    'contact_email', 'contact_phone', 'support_email', 'support_phone', 'model', 'billing_day',
    'tax_id', 'lang', 'request_kind', 'request_note', 'decision_reason', 'submitted_at',
    'decided_at', 'created_at', 'age_days', 'tenant_name', 'tenant_country', 'partner_id'];
const PD_CSP_STATUS = ['not_enrolled' => 'Not enrolled', 'draft' => 'Draft',
    'pending_review' => 'Pending review', 'info_requested' => 'Information requested',
    'approved' => 'Approved', 'rejected' => 'Rejected', 'active' => 'Active'];

/** The tenant's CSP application (db_csp_get), or null. */
function pd_csp_app(int $tenant_id): ?array
{
    $rows = pd_rows(PD_APP_SQL . 'WHERE c.tenant_id=?', [$tenant_id]);
    return $rows ? array_combine(PD_APP_KEYS, $rows[0]) : null;
}

/** The tenant's live PGA and its CSP application's status (db_partner_legal), or null. */
function pd_legal(int $tenant_id): ?array
{
    $rows = pd_rows('SELECT ' . PD_ACCOUNT_COLS . ', c.status FROM partner_accounts p ' .
        'LEFT JOIN csp_applications c ON c.tenant_id=p.tenant_id WHERE p.live_pga_tenant=?',
        [$tenant_id]);
    if (!$rows)
        return null;
    $p = array_combine(PD_ACCOUNT_KEYS, array_slice($rows[0], 0, count(PD_ACCOUNT_KEYS)));
    $p['csp_status'] = $rows[0][count(PD_ACCOUNT_KEYS)] ?? 'not_enrolled';
    return $p;
}
