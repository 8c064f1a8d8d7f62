import type { PageAdministration } from '../../../application/administration.ts';
import type { Problem } from '../problems.ts';
import { Layout } from './layout.tsx';

/**
 * An error as a page of the site, in Italian as the problem's texts are. The address asked for is not
 * repeated (the language link and the breadcrumb start from the home): a link could put anything in it.
 */
export function ErrorPage(props: { problem: Problem; administration: PageAdministration; demo: boolean; area: 'portal' | 'backoffice' }): JSX.Element {
  return (
    <Layout lang="it" title={props.problem.title} area={props.area} administration={props.administration} path="/" demo={props.demo}>
      <h1 safe>{props.problem.title}</h1>
      <p class="lead" safe>
        {props.problem.detail}
      </p>
      <p>
        <a href="/">Torna alla pagina iniziale</a>
      </p>
    </Layout>
  );
}
