<?php
// Saves a hand-written page as the Editor account, only if the page does not exist yet (createonly), so
// the demo shows WikiSync keeping a person's text and a second demo run edits nothing.
// Usage: php hand-edit.php API USER PASSWORD TITLE TEXT
[$_, $api, $user, $password, $title, $text] = $argv;
$cookies = [];
function call(string $api, array $params, bool $post = false): array {
    global $cookies;
    $params['format'] = 'json';
    $headers = "User-Agent: WikiSync-demo\r\n";
    if ($cookies) {
        $headers .= 'Cookie: ' . implode('; ', array_map(fn($k, $v) => "$k=$v", array_keys($cookies), $cookies)) . "\r\n";
    }
    $body = http_build_query($params);
    $opts = $post
        ? ['method' => 'POST', 'header' => $headers . "Content-Type: application/x-www-form-urlencoded\r\n", 'content' => $body]
        : ['method' => 'GET', 'header' => $headers];
    $url = $post ? $api : "$api?$body";
    $response = file_get_contents($url, false, stream_context_create(['http' => $opts + ['ignore_errors' => true]]));
    foreach ($http_response_header as $h) {
        if (preg_match('/^Set-Cookie:\s*([^=]+)=([^;]*)/i', $h, $m)) {
            $cookies[$m[1]] = $m[2];
        }
    }
    return json_decode($response, true) ?? [];
}
$token = call($api, ['action' => 'query', 'meta' => 'tokens', 'type' => 'login'])['query']['tokens']['logintoken'];
$login = call($api, ['action' => 'login', 'lgname' => $user, 'lgpassword' => $password, 'lgtoken' => $token], true);
if (($login['login']['result'] ?? '') !== 'Success') {
    fwrite(STDERR, "demo: login as $user failed\n");
    exit(1);
}
$csrf = call($api, ['action' => 'query', 'meta' => 'tokens'])['query']['tokens']['csrftoken'];
$edit = call($api, ['action' => 'edit', 'title' => $title, 'text' => $text, 'createonly' => 1,
    'summary' => 'hand-written introduction', 'token' => $csrf], true);
if (isset($edit['error']) && $edit['error']['code'] !== 'articleexists') {
    fwrite(STDERR, "demo: editing $title failed: {$edit['error']['code']}\n");
    exit(1);
}
echo isset($edit['error']) ? "kept hand-written $title\n" : "hand-wrote $title\n";
