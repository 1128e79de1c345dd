<?php

namespace MediaWiki\Extension\WikiSync;

use MediaWiki\Config\ServiceOptions;
use MediaWiki\Http\HttpRequestFactory;

/**
 * The wiki's side of the WikiSync service's HTTP port: POST /refresh/{project} and GET /status.json, asked
 * server-side so the token ($wgWikiSyncToken) never reaches a browser. The token goes only into the
 * Authorization header; nothing here logs, returns or shows it.
 */
final class ServiceClient {

	public const CONSTRUCTOR_OPTIONS = [ 'WikiSyncServiceUrl', 'WikiSyncToken' ];

	/** Seconds; a wiki page must not hang on a slow service. */
	private const TIMEOUT = 10;

	private HttpRequestFactory $http;
	private string $baseUrl;
	private string $token;

	public function __construct( ServiceOptions $options, HttpRequestFactory $http ) {
		$options->assertRequiredOptions( self::CONSTRUCTOR_OPTIONS );
		$this->http = $http;
		$this->baseUrl = rtrim( (string)$options->get( 'WikiSyncServiceUrl' ), '/' );
		$this->token = (string)$options->get( 'WikiSyncToken' );
	}

	public function isConfigured(): bool {
		return $this->baseUrl !== '';
	}

	/**
	 * Asks the service to run the project's jobs now.
	 *
	 * @return array{outcome: string, code: int, started?: bool} outcome is one of started, running
	 *   (a refresh was already under way), unknown-project, forbidden, unreachable, failed
	 */
	public function refresh( string $project ): array {
		$code = $this->send( 'POST', '/refresh/' . rawurlencode( $project ), $body );
		if ( $code === 0 ) {
			return [ 'outcome' => 'unreachable', 'code' => 0 ];
		}
		if ( $code === 202 ) {
			$json = json_decode( $body, true );
			$started = is_array( $json ) && ( $json['started'] ?? false ) === true;
			return [ 'outcome' => $started ? 'started' : 'running', 'code' => $code, 'started' => $started ];
		}
		$outcome = [ 404 => 'unknown-project', 401 => 'forbidden', 403 => 'forbidden' ][$code] ?? 'failed';
		return [ 'outcome' => $outcome, 'code' => $code ];
	}

	/**
	 * The service's read-only status document.
	 *
	 * @return array{outcome: string, code: int, status?: array} outcome is ok, unreachable, forbidden,
	 *   failed (another HTTP status) or invalid (not the JSON object the service writes)
	 */
	public function status(): array {
		$code = $this->send( 'GET', '/status.json', $body );
		if ( $code === 0 ) {
			return [ 'outcome' => 'unreachable', 'code' => 0 ];
		}
		if ( $code !== 200 ) {
			return [ 'outcome' => in_array( $code, [ 401, 403 ], true ) ? 'forbidden' : 'failed', 'code' => $code ];
		}
		$json = json_decode( $body, true );
		if ( !is_array( $json ) || !isset( $json['jobs'] ) || !is_array( $json['jobs'] ) ) {
			return [ 'outcome' => 'invalid', 'code' => $code ];
		}
		return [ 'outcome' => 'ok', 'code' => $code, 'status' => $json ];
	}

	/** @return int the HTTP status, or 0 when no answer came (refused, timed out, not configured) */
	private function send( string $method, string $path, ?string &$body ): int {
		$body = '';
		if ( !$this->isConfigured() ) {
			return 0;
		}
		$options = [
			'method' => $method,
			'timeout' => self::TIMEOUT,
			'connectTimeout' => self::TIMEOUT,
			'followRedirects' => false,
		];
		if ( $method === 'POST' ) {
			$options['postData'] = '{}';
		}
		$request = $this->http->create( $this->baseUrl . $path, $options, __METHOD__ );
		if ( $method === 'POST' ) {
			// Not a form: the service answers a form post (its own status page's button) with a redirect.
			$request->setHeader( 'Content-Type', 'application/json' );
		}
		if ( $this->token !== '' ) {
			$request->setHeader( 'Authorization', 'Bearer ' . $this->token );
		}
		$request->execute();
		$body = (string)$request->getContent();
		return (int)$request->getStatus();
	}
}
