<?php

namespace MediaWiki\Extension\WikiSync;

use Html;
use SpecialPage;
use Title;

/**
 * Special:WikiSync: what the service is doing, from its read-only GET /status.json: jobs and their last
 * runs, recent failures, the emergency stop, the Server Admin Log entries still waiting, and what it wrote
 * or found edited by hand. Every value comes from the service and is escaped; a service that cannot be
 * reached is a message on the page, not an exception.
 */
final class SpecialWikiSync extends SpecialPage {

	private ServiceClient $service;

	public function __construct( ServiceClient $service ) {
		parent::__construct( 'WikiSync' );
		$this->service = $service;
	}

	protected function getGroupName() {
		return 'wiki';
	}

	/** @param string|null $subPage */
	public function execute( $subPage ) {
		$this->setHeaders();
		$out = $this->getOutput();
		$out->addModuleStyles( [ 'ext.wikiSync.styles' ] );
		$out->addWikiMsg( 'wikisync-special-intro' );
		if ( !$this->service->isConfigured() ) {
			$out->addHTML( Html::errorBox( $this->msg( 'wikisync-refresh-not-configured' )->escaped() ) );
			return;
		}
		$answer = $this->service->status();
		$problem = [
			'unreachable' => 'wikisync-service-unreachable',
			'forbidden' => 'wikisync-status-forbidden',
			'invalid' => 'wikisync-status-invalid',
			'failed' => 'wikisync-service-failed',
		][$answer['outcome']] ?? null;
		if ( $problem !== null ) {
			$out->addHTML( Html::errorBox( $this->msg( $problem )->numParams( $answer['code'] )->escaped(), '', 'wikisync-status-down' ) );
			return;
		}
		$status = $answer['status'];
		$out->addHTML(
			$this->overview( $status )
			. $this->jobs( self::rows( $status, 'jobs' ) )
			. $this->section( 'wikisync-status-failures', self::rows( $status, 'failures' ),
				[ 'job', 'at', 'summary' ] )
			. $this->sal( is_array( $status['sal'] ?? null ) ? $status['sal'] : [] )
			. $this->section( 'wikisync-status-recent-edits', self::rows( $status, 'recent_edits' ),
				[ 'at', 'job', 'title', 'revision', 'action', 'sections' ] )
			. $this->section( 'wikisync-status-human-edits', self::rows( $status, 'human_edits' ),
				[ 'at', 'job', 'title', 'section', 'user', 'revision', 'action' ] )
		);
	}

	private function overview( array $status ): string {
		$stop = is_array( $status['emergency_stop'] ?? null ) ? $status['emergency_stop'] : [];
		$engaged = ( $stop['engaged'] ?? false ) === true;
		$stopState = (string)( $stop['status'] ?? 'unknown' );
		$rows = [
			'wikisync-status-generated' => $status['generated'] ?? null,
			'wikisync-status-node' => $status['node'] ?? null,
			'wikisync-status-leader' => $this->msg( ( $status['leader'] ?? false ) === true ? 'wikisync-yes' : 'wikisync-no' )->text(),
			'wikisync-status-store' => $status['store'] ?? null,
		];
		$html = '';
		foreach ( $rows as $key => $value ) {
			$html .= Html::rawElement( 'tr', [],
				Html::element( 'th', [], $this->msg( $key )->text() ) . Html::element( 'td', [], self::text( $value ) ) );
		}
		$stopText = $this->msg( $engaged ? 'wikisync-status-stop-engaged' : ( $stopState === 'clear'
			? 'wikisync-status-stop-clear' : 'wikisync-status-stop-unknown' ) )->plaintextParams( self::text( $stop['page'] ?? '' ) )->text();
		if ( isset( $stop['checked'] ) && $stop['checked'] !== null ) {
			$stopText .= ' ' . $this->msg( 'wikisync-status-stop-checked' )->plaintextParams( self::text( $stop['checked'] ) )->text();
		}
		if ( isset( $stop['detail'] ) && $stop['detail'] !== null && $stop['detail'] !== '' ) {
			$stopText .= ' ' . self::text( $stop['detail'] );
		}
		$html .= Html::rawElement( 'tr', [ 'class' => $engaged ? 'wikisync-stop-engaged' : 'wikisync-stop-' . $stopState ],
			Html::element( 'th', [], $this->msg( 'wikisync-status-emergency-stop' )->text() )
			. Html::element( 'td', [ 'data-wikisync-stop' => $engaged ? 'engaged' : $stopState ], $stopText ) );
		return Html::rawElement( 'table', [ 'class' => 'wikitable wikisync-status-overview' ], $html );
	}

	private function jobs( array $jobs ): string {
		$head = '';
		foreach ( [ 'name', 'schedule', 'next-run', 'last-started', 'last-finished', 'last-result', 'last-summary' ] as $column ) {
			$head .= Html::element( 'th', [], $this->msg( "wikisync-status-column-$column" )->text() );
		}
		$body = '';
		foreach ( $jobs as $job ) {
			$last = is_array( $job['last_run'] ?? null ) ? $job['last_run'] : [];
			$cells = [ $job['name'] ?? '', $job['schedule'] ?? '', $job['next_run'] ?? '',
				$last['started'] ?? '', $last['finished'] ?? '', $last['result'] ?? $this->msg( 'wikisync-status-never' )->text(),
				$last['summary'] ?? '' ];
			$row = '';
			foreach ( $cells as $cell ) {
				$row .= Html::element( 'td', [], self::text( $cell ) );
			}
			$body .= Html::rawElement( 'tr', [ 'data-wikisync-job' => self::text( $job['name'] ?? '' ) ], $row );
		}
		return Html::element( 'h2', [], $this->msg( 'wikisync-status-jobs' )->text() )
			. ( $jobs === [] ? Html::element( 'p', [], $this->msg( 'wikisync-status-none' )->text() )
				: Html::rawElement( 'table', [ 'class' => 'wikitable wikisync-status-jobs' ],
					Html::rawElement( 'tr', [], $head ) . $body ) );
	}

	private function sal( array $sal ): string {
		$waiting = is_int( $sal['waiting'] ?? null ) ? $sal['waiting'] : 0;
		$text = $this->msg( 'wikisync-status-sal-waiting' )->numParams( $waiting )->text();
		if ( $waiting > 0 && isset( $sal['oldest'] ) && $sal['oldest'] !== null ) {
			$text .= ' ' . $this->msg( 'wikisync-status-sal-oldest' )->plaintextParams( self::text( $sal['oldest'] ) )->text();
		}
		$projects = is_array( $sal['projects'] ?? null ) ? array_map( [ self::class, 'text' ], $sal['projects'] ) : [];
		if ( $projects !== [] ) {
			$text .= ' ' . $this->msg( 'wikisync-status-sal-projects' )->plaintextParams( implode( ', ', $projects ) )->text();
		}
		return Html::element( 'h2', [], $this->msg( 'wikisync-status-sal' )->text() )
			. Html::element( 'p', [ 'class' => 'wikisync-status-sal' ], $text );
	}

	/** @param list<string> $columns field names, also the message suffixes of the headers */
	private function section( string $heading, array $rows, array $columns ): string {
		$html = Html::element( 'h2', [], $this->msg( $heading )->text() );
		if ( $rows === [] ) {
			return $html . Html::element( 'p', [], $this->msg( 'wikisync-status-none' )->text() );
		}
		$head = '';
		foreach ( $columns as $column ) {
			$head .= Html::element( 'th', [], $this->msg( 'wikisync-status-column-' . str_replace( '_', '-', $column ) )->text() );
		}
		$body = '';
		foreach ( $rows as $row ) {
			$cells = '';
			foreach ( $columns as $column ) {
				$cells .= Html::rawElement( 'td', [], $this->cell( $column, $row[$column] ?? '' ) );
			}
			$body .= Html::rawElement( 'tr', [], $cells );
		}
		return $html . Html::rawElement( 'table', [ 'class' => 'wikitable' ], Html::rawElement( 'tr', [], $head ) . $body );
	}

	/** A cell's HTML: page titles and user names link to the wiki's pages, everything else is escaped text. */
	private function cell( string $column, $value ): string {
		$text = self::text( $value );
		$target = null;
		if ( $column === 'title' && is_string( $value ) ) {
			$target = Title::newFromText( $value );
		} elseif ( $column === 'user' && is_string( $value ) && $value !== '' ) {
			$target = Title::makeTitleSafe( NS_USER, $value );
		}
		return $target === null
			? htmlspecialchars( $text )
			: $this->getLinkRenderer()->makeLink( $target, $text );
	}

	/** @return list<array> the entries of a list field that are objects */
	private static function rows( array $status, string $field ): array {
		$list = is_array( $status[$field] ?? null ) ? $status[$field] : [];
		return array_values( array_filter( $list, 'is_array' ) );
	}

	/** A JSON value as text for Html::element, which escapes it. */
	private static function text( $value ): string {
		if ( is_array( $value ) ) {
			return implode( ', ', array_map( [ self::class, 'text' ], $value ) );
		}
		if ( is_bool( $value ) ) {
			return $value ? 'true' : 'false';
		}
		return $value === null ? '' : (string)$value;
	}
}
