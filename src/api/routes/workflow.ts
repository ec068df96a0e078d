import { workflowChart, workflowMermaid } from '../../machines/export.js';
import { endpoint } from '../endpoint.js';
import { workflowChartSchema } from '../schemas.js';

/** The statechart itself, as JSON and as a diagram. */
export const workflowEndpoints = () => [
  endpoint({
    method: 'get',
    path: '/api/v1/workflow',
    tag: 'workflow',
    summary: 'The guideline statechart as JSON',
    signedIn: true,
    responses: {
      200: { description: 'States, events, guards and effects.', schema: workflowChartSchema },
    },
    problems: [],
    handle(_input, _req, res) {
      res.json(workflowChart());
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/workflow.mmd',
    tag: 'workflow',
    summary: 'The guideline statechart as a Mermaid diagram',
    signedIn: true,
    responses: { 200: { description: 'A Mermaid stateDiagram-v2.', contentType: 'text/plain' } },
    problems: [],
    handle(_input, _req, res) {
      res.type('text/plain; charset=utf-8').send(workflowMermaid());
    },
  }),
];
