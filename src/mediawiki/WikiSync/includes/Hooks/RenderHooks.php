<?php

namespace MediaWiki\Extension\WikiSync\Hooks;

use Html;
use MediaWiki\Extension\WikiSync\ProjectTitles;
use MediaWiki\Extension\WikiSync\SectionScan;
use MediaWiki\Extension\WikiSync\SourceLinks;
use MediaWiki\Hook\ParserBeforeInternalParseHook;
use Parser;

/**
 * Shows each generated section inside a block carrying its name, with a footer saying where it comes from
 * and how to refresh it. The markers become the block's edges before the parser sees the text, so the
 * section renders exactly as before and nothing outside it changes. A page whose markers are broken is
 * shown as it is: the service does not touch it either.
 */
final class RenderHooks implements ParserBeforeInternalParseHook {

	private const DONE = 'wikisync-wrapped';

	private SourceLinks $sources;
	private ProjectTitles $projects;

	public function __construct( SourceLinks $sources, ProjectTitles $projects ) {
		$this->sources = $sources;
		$this->projects = $projects;
	}

	/**
	 * @param Parser $parser
	 * @param string &$text
	 * @param \StripState $stripState
	 * @return bool
	 */
	public function onParserBeforeInternalParse( $parser, &$text, $stripState ) {
		$output = $parser->getOutput();
		// The first call of a parse is the page's own text; later ones are tag contents (<ref> and the
		// like), which the service treats as opaque, so markers there are no sections.
		if ( $output->getExtensionData( self::DONE ) !== null ) {
			return true;
		}
		$output->setExtensionData( self::DONE, true );
		if ( $parser->getOptions()->getInterfaceMessage() || !str_contains( $text, 'wikisync:' ) ) {
			return true;
		}
		$scan = SectionScan::of( $text );
		if ( $scan->sections === [] || $scan->problems !== [] ) {
			return true;
		}
		$title = $parser->getPage();
		$project = $title === null ? null : $this->projects->projectOf( $title );
		$wrapped = '';
		$cursor = 0;
		foreach ( $scan->sections as $section ) {
			$wrapped .= substr( $text, $cursor, $section->start - $cursor )
				. Html::openElement( 'div', [ 'class' => 'wikisync-section', 'data-wikisync-section' => $section->name ] )
				. $section->content( $text )
				. Html::rawElement( 'div', [ 'class' => 'wikisync-footer' ],
					$parser->insertStripItem( $this->footer( $parser, $section->name, $project ) ) )
				. Html::closeElement( 'div' );
			$cursor = $section->end;
		}
		$text = $wrapped . substr( $text, $cursor );
		$output->addModuleStyles( [ 'ext.wikiSync.styles' ] );
		return true;
	}

	private function footer( Parser $parser, string $section, ?string $project ): string {
		$language = $parser->getTargetLanguage();
		$title = $parser->getTitle();
		$source = $this->sources->html( $section )
			?? wfMessage( 'wikisync-source-unknown' )->inLanguage( $language )->escaped();
		if ( $project === null ) {
			return wfMessage( 'wikisync-footer' )->inLanguage( $language )->rawParams( $source )->escaped();
		}
		$refresh = Html::element( 'a', [
			'class' => 'wikisync-refresh-link',
			'href' => $title->getLocalURL( [ 'action' => 'wikisync-refresh' ] ),
		], wfMessage( 'wikisync-footer-refresh' )->inLanguage( $language )->text() );
		return wfMessage( 'wikisync-footer-with-refresh' )->inLanguage( $language )
			->rawParams( $source, $refresh )->escaped();
	}
}
