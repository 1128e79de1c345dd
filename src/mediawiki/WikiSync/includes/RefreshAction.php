<?php

namespace MediaWiki\Extension\WikiSync;

use Article;
use FormAction;
use Html;
use IContextSource;
use Status;

/**
 * action=wikisync-refresh: a form that, posted with the edit token by someone with the wikisync-refresh
 * right, asks the service to run the page's project now (POST /refresh/{project}, with the token, from the
 * server) and says what the service answered.
 */
final class RefreshAction extends FormAction {

	private ServiceClient $service;
	private ProjectTitles $projects;

	/** @var array{outcome: string, code: int}|null */
	private ?array $answer = null;

	/** ActionFactory passes the page and the context first, then the services extension.json names. */
	public function __construct( Article $article, IContextSource $context, ServiceClient $service, ProjectTitles $projects ) {
		parent::__construct( $article, $context );
		$this->service = $service;
		$this->projects = $projects;
	}

	public function getName() {
		return 'wikisync-refresh';
	}

	public function getRestriction() {
		return 'wikisync-refresh';
	}

	public function doesWrites() {
		// The service edits the page as a result.
		return true;
	}

	protected function getPageTitle() {
		return $this->msg( 'wikisync-refresh-title' )->plaintextParams( $this->getTitle()->getPrefixedText() );
	}

	protected function getDescription() {
		return '';
	}

	protected function getFormFields() {
		return [];
	}

	protected function preText() {
		$project = $this->project();
		if ( $project === null ) {
			return Html::errorBox( $this->msg( 'wikisync-refresh-no-project' )->escaped() );
		}
		return Html::element( 'p', [], $this->msg( 'wikisync-refresh-intro' )->plaintextParams( $project )->text() );
	}

	protected function alterForm( \HTMLForm $form ) {
		$form->setSubmitTextMsg( 'wikisync-refresh-submit' );
		$form->setTokenSalt( 'wikisync-refresh' );
	}

	public function onSubmit( $data ) {
		$project = $this->project();
		if ( $project === null ) {
			return Status::newFatal( 'wikisync-refresh-no-project' );
		}
		if ( !$this->service->isConfigured() ) {
			return Status::newFatal( 'wikisync-refresh-not-configured' );
		}
		$this->answer = $this->service->refresh( $project );
		switch ( $this->answer['outcome'] ) {
			case 'started':
			case 'running':
				return true;
			case 'unknown-project':
				return Status::newFatal( $this->msg( 'wikisync-refresh-unknown-project' )->plaintextParams( $project ) );
			case 'forbidden':
				return Status::newFatal( 'wikisync-refresh-forbidden' );
			case 'unreachable':
				return Status::newFatal( 'wikisync-service-unreachable' );
			default:
				return Status::newFatal( $this->msg( 'wikisync-service-failed' )->numParams( $this->answer['code'] ) );
		}
	}

	public function onSuccess() {
		$project = (string)$this->project();
		$key = $this->answer !== null && $this->answer['outcome'] === 'running'
			? 'wikisync-refresh-running' : 'wikisync-refresh-started';
		$out = $this->getOutput();
		$out->addHTML( Html::successBox( $this->msg( $key )->plaintextParams( $project )->escaped(), 'wikisync-refresh-result' ) );
		$out->addReturnTo( $this->getTitle() );
	}

	private function project(): ?string {
		return $this->projects->projectOf( $this->getTitle() );
	}
}
