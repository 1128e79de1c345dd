<?php

namespace MediaWiki\Extension\WikiSync;

use MediaWiki\Linker\LinkTarget;
use TitleFormatter;

/**
 * Which WikiSync project a page belongs to, read from its title through $wgWikiSyncProjectTitlePattern:
 * a regular expression with one capture group, matched against the full title with spaces
 * ("Nova Resource:tools/SAL" gives "tools" by default).
 */
final class ProjectTitles {

	private string $pattern;
	private TitleFormatter $formatter;

	public function __construct( string $pattern, TitleFormatter $formatter ) {
		$this->pattern = $pattern;
		$this->formatter = $formatter;
	}

	public function projectOf( LinkTarget $title ): ?string {
		if ( $this->pattern === '' ) {
			return null;
		}
		$text = $this->formatter->getPrefixedText( $title );
		// A broken pattern is the operator's mistake; it must not take page views down with it.
		$matched = @preg_match( $this->pattern, $text, $m );
		return $matched === 1 && isset( $m[1] ) && $m[1] !== '' ? $m[1] : null;
	}
}
