<?php

namespace MediaWiki\Extension\WikiSync;

use Html;

/**
 * Where a section's data comes from, as $wgWikiSyncSourceLinks says: section name => a text ("LDAP"), a
 * URL (shown as a link to itself) or [ 'text' => ..., 'url' => ... ]. Always rendered as escaped HTML;
 * null for a section the setting does not name (the caller says "its data source" in the reader's language).
 */
final class SourceLinks {

	/** @var array<string, string|array{text?: string, url?: string}> */
	private array $links;

	public function __construct( array $links ) {
		$this->links = $links;
	}

	public function html( string $section ): ?string {
		$link = $this->links[$section] ?? null;
		$text = null;
		$url = null;
		if ( is_string( $link ) && $link !== '' ) {
			if ( self::isWebUrl( $link ) ) {
				$url = $link;
			}
			$text = $link;
		} elseif ( is_array( $link ) ) {
			$text = isset( $link['text'] ) && is_string( $link['text'] ) && $link['text'] !== '' ? $link['text'] : null;
			$url = isset( $link['url'] ) && is_string( $link['url'] ) && self::isWebUrl( $link['url'] ) ? $link['url'] : null;
			$text ??= $url;
		}
		if ( $text === null ) {
			return null;
		}
		return $url === null
			? Html::element( 'span', [ 'class' => 'wikisync-source' ], $text )
			: Html::element( 'a', [ 'class' => 'external wikisync-source', 'rel' => 'nofollow', 'href' => $url ], $text );
	}

	private static function isWebUrl( string $url ): bool {
		return preg_match( '#^https?://#i', $url ) === 1;
	}
}
