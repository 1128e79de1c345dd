<?php
// Puts a hand-written paragraph at the top of a page as the Editor account, once: when the page already
// holds it, nothing is saved, so a second demo run edits nothing.
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
$page = call($api, ['action' => 'query', 'prop' => 'revisions', 'rvprop' => 'content|timestamp', 'rvslots' => 'main',
    'titles' => $title, 'formatversion' => 2])['query']['pages'][0];
if (isset($page['missing'])) {
    fwrite(STDERR, "demo: $title does not exist\n");
    exit(1);
}
$current = $page['revisions'][0]['slots']['main']['content'];
if (str_contains($current, $text)) {
    echo "kept the hand-written part of $title\n";
    exit(0);
}
$csrf = call($api, ['action' => 'query', 'meta' => 'tokens'])['query']['tokens']['csrftoken'];
$edit = call($api, ['action' => 'edit', 'title' => $title, 'text' => "$text\n\n$current", 'nocreate' => 1,
    'basetimestamp' => $page['revisions'][0]['timestamp'], 'summary' => 'hand-written introduction', 'token' => $csrf], true);
if (isset($edit['error'])) {
    fwrite(STDERR, "demo: editing $title failed: {$edit['error']['code']}\n");
    exit(1);
}
echo "hand-wrote the introduction of $title\n";
